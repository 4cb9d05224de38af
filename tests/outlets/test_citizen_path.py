"""Tried as a new user would: from the home page, find the nearest outlet that can print a
social-insurance certificate, open it, see its hours and list, download the list as PDF."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import region

from .factories import (
    OutletFactory,
    SelfServiceItemFactory,
    TerminalFactory,
    publish_items,
    weekday_hours,
)

pytestmark = pytest.mark.django_db

CERT = "社会保险参保证明打印"


@pytest.fixture
def town(travel):
    travel(datetime.datetime(2026, 11, 24, 10, 0))  # a Tuesday morning
    cert = SelfServiceItemFactory(name=CERT, code="QD-CONV-0001", popularity=100)
    other = SelfServiceItemFactory(name="住房公积金缴存明细查询")
    near = OutletFactory(code="NEAR", name="市南区政务服务大厅", latitude=36.071, longitude=120.413)
    far = OutletFactory(
        code="FAR",
        name="平度市政务服务大厅",
        district=region("370283"),
        latitude=36.787,
        longitude=119.960,
    )
    nearest_without = OutletFactory(
        code="WITHOUT", name="没有该事项的网点", latitude=36.0707, longitude=120.4122
    )
    for outlet in (near, far, nearest_without):
        weekday_hours(outlet)
        TerminalFactory(outlet=outlet, code=f"{outlet.code}-T1")
    publish_items(near, [cert, other])
    publish_items(far, [cert])
    publish_items(nearest_without, [other])
    return cert


def test_new_user_finds_prints_and_downloads(client, town):
    home = client.get("/").content.decode()
    finder_url = reverse("outlets:finder")
    assert f'href="{finder_url}"' in home

    finder = client.get(finder_url)
    assert finder.status_code == 200 and 'name="q"' in finder.content.decode()
    # no location from the browser: the visitor picks the district they are in
    results = client.get(finder_url, {"q": "参保证明", "origin": "370202"}).content.decode()
    assert CERT in results
    links = re.findall(r'href="(/outlets/[A-Z]+/)(?:#[^"]*)?"', results)
    assert links[:2] == ["/outlets/NEAR/", "/outlets/FAR/"]
    assert "/outlets/WITHOUT/" not in links
    assert re.search(r"0[.,]\d+\s*(公里|km)", results)

    page = client.get(links[0]).content.decode()
    assert "市南区政务服务大厅" in page
    assert "09:00–12:00" in page and "13:00–17:00" in page
    assert CERT in page and "NEAR-T1" in page
    pdf_url = reverse("outlets:outlet_items_pdf", args=["NEAR"])
    assert pdf_url in page

    pdf = client.get(pdf_url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "attachment" in pdf["Content-Disposition"]
    data = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    assert data.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert CERT in text.replace(" ", "") and "QD-CONV-0001" in text


def test_csv_download_lists_items_and_terminals(client, town):
    response = client.get(reverse("outlets:outlet_items_csv", args=["NEAR"]))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "QD-CONV-0001" in text and CERT in text
    assert len(text.strip().splitlines()) == 3


def test_browser_location_sorts_from_there(client, town):
    body = client.get(
        reverse("outlets:finder"), {"item": "QD-CONV-0001", "lat": "36.79", "lng": "119.96"}
    ).content.decode()
    links = re.findall(r'href="(/outlets/[A-Z]+/)#', body)
    assert links == ["/outlets/FAR/", "/outlets/NEAR/"]


def test_open_now_is_shown_and_filtered(client, town, travel):
    travel(datetime.datetime(2026, 11, 24, 12, 30))  # lunch break
    body = client.get(
        reverse("outlets:finder"), {"item": "QD-CONV-0001", "open_now": "on"}
    ).content.decode()
    assert "/outlets/NEAR/" not in body
    body = client.get(reverse("outlets:finder"), {"item": "QD-CONV-0001"}).content.decode()
    assert "/outlets/NEAR/" in body and "休息中" in body and "营业中" not in body


def test_city_list_shows_every_outlet_with_its_item_count(client, town):
    body = client.get(reverse("outlets:city_list")).content.decode()
    rows = re.findall(r'<a href="/outlets/([A-Z]+)/">.*?</td>.*?<td>(\d+)</td></tr>', body, re.S)
    assert dict(rows) == {"NEAR": "2", "FAR": "1", "WITHOUT": "1"}


def test_item_page_panel_lists_nearest_outlets(client, town, rf):
    from django.template.loader import render_to_string

    request = rf.get("/items/QD-CONV-0001/", {"lat": "36.79", "lng": "119.96"})
    html = render_to_string("outlets/includes/item_outlets.html", {"item": town}, request=request)
    assert html.index("平度市政务服务大厅") < html.index("市南区政务服务大厅")
    assert "没有该事项的网点" not in html
    request = rf.get("/items/QD-CONV-0001/", {"origin": "370202"})
    html = render_to_string("outlets/includes/item_outlets.html", {"item": town}, request=request)
    assert html.index("市南区政务服务大厅") < html.index("平度市政务服务大厅")


def test_item_page_shows_the_panel(client, town):
    response = client.get(f"/items/{town.code}/")
    if response.status_code == 404:
        pytest.skip("the catalogue's item page is not there")
    assert "市南区政务服务大厅" in response.content.decode()
