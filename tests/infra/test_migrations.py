"""Models and migrations agree: no model change is waiting for a migration."""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_makemigrations_check_is_clean():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(
            "Models changed without a migration; run `manage.py makemigrations <app>`:\n"
            + out.getvalue()
            + f"(exit {exit_.code})"
        )
