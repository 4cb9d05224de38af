"""English outlet pages name the districts in English (issue 14 point 9): the finder's district
choices and the outlet rows."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_finder_names_the_districts_in_english(client):
    client.cookies["django_language"] = "en"
    html = client.get("/outlets/").content.decode()
    assert ">Shinan District</option>" in html and ">市南区</option>" not in html
    assert "(市级清单查阅)" not in html
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/outlets/").content.decode()
    assert ">市南区</option>" in html
