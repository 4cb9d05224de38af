"""An outlet's page gives an address and a map link, not raw coordinates, and folds its item
list by domain so a long list no longer runs to 10,000 px (issue 14 point 9), in Chinese and
English."""

from __future__ import annotations

import re

import pytest

from .test_citizen_path import town  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "map_text", "count"),
    [
        ("zh-hans", "在高德地图中查看（外部网站）", r"\(\d+ 项\)"),
        ("en", "See it on a map (Amap", r"\(\d+ items?\)"),
    ],
)
def test_the_outlet_page_links_a_map_and_folds_its_list(client, town, language, map_text, count):  # noqa: F811
    page = client.get("/outlets/NEAR/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    shown = page.replace("position=120.413000,36.071000", "")  # the map link carries them
    assert "36.071" not in shown and "120.413" not in shown  # no raw coordinates on the page
    assert "https://uri.amap.com/marker?position=120.413000,36.071000" in page
    assert map_text in page
    assert page.count('<details class="domain-group"') >= 1
    assert re.search(count, page)


@pytest.mark.parametrize(
    ("language", "district"), [("zh-hans", "市南区"), ("en", "Shinan District")]
)
def test_the_outlets_district_is_named_in_the_pages_language(client, town, language, district):  # noqa: F811
    page = client.get("/outlets/NEAR/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    main = page[page.index('<main id="main"') :]
    assert f"<dd>{district}</dd>" in main
    if language == "en":
        assert "市南区</" not in page
