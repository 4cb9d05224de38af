"""English legal-aid pages name the centres in English (issue 14 point 9): every centre of the
reference data has an English name, and the public page shows it instead of the Chinese one."""

from __future__ import annotations

import pytest

from legal_aid.models import Centre

pytestmark = pytest.mark.django_db


def test_the_centres_are_named_in_english_on_english_pages(client):
    shinan = Centre.objects.get(code="LA370202")
    assert shinan.name_en
    client.cookies["django_language"] = "en"
    html = client.get("/legal-aid/").content.decode()
    assert shinan.name_en in html and shinan.name not in html
    assert "法援在线" not in html  # the heading is English only
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/legal-aid/").content.decode()
    assert shinan.name in html and "法援在线" in html
