"""`load_demo --only` names apps; a label with no demo data is refused, not silently skipped."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from portal.catalogue.models import ServiceItem


@pytest.mark.django_db
def test_a_mistyped_label_is_refused_and_nothing_is_loaded():
    out = StringIO()
    with pytest.raises(CommandError, match="catalog"):
        call_command("load_demo", "--only", "catalog", "accounts", stdout=out)
    assert "Demo data loaded" not in out.getvalue()
    assert not ServiceItem.objects.exists()


@pytest.mark.django_db
def test_an_app_without_demo_data_is_refused():
    with pytest.raises(CommandError, match="contenttypes"):
        call_command("load_demo", "--only", "contenttypes", stdout=StringIO())
