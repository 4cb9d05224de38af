"""The basic catalogue and its implementations (ADR 0121): codes in the national structure,
checked in the model and the import; one service page with "choose your district"; old
addresses redirect; English fee bases and material notes."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from portal.catalogue import codes
from portal.catalogue.models import Material, ServiceItem
from portal.catalogue.services import import_items
from tests.factories import (
    BasicServiceFactory,
    DepartmentFactory,
    ServiceItemFactory,
    make_uscc,
    region,
)

pytestmark = pytest.mark.django_db

CITY = make_uscc(1001, "370200", kind="11")
SHINAN = make_uscc(1002, "370202", kind="11")
WRONG_CHECK = CITY[:17] + ("0" if CITY[17] != "0" else "1")  # the city's, check character wrong


def code_of(exc: ValidationError, field: str) -> str:
    return exc.error_dict[field][0].code


def district_department(district: str, n: int, **fields):
    return DepartmentFactory(
        code=f"{district}-T{n}",
        name=f"{district}测试局",
        region=region(district),
        level="district",
        credit_code=make_uscc(2000 + n, district, kind="11"),
        **fields,
    )


def implementation(basic, department, **fields) -> ServiceItem:
    return ServiceItemFactory(
        code=department.credit_code + basic.basic_code,
        name=basic.name,
        name_en=basic.name_en,
        kind=basic.kind,
        domain=basic.domain,
        basic=basic,
        department=department,
        **fields,
    )


@pytest.fixture
def marriage():
    """A basic service the city and three districts implement, each with its own time limit."""
    basic = BasicServiceFactory(
        basic_code="QR00162000",
        name="内地居民结婚登记",
        name_en="Marriage registration (mainland residents)",
        kind="confirmation",
        domain="other",
        legal_basis="《婚姻登记条例》",
        legal_basis_en="Regulations on Marriage Registration",
        competent_levels="city,district",
    )
    city = DepartmentFactory(code="370200-T0", name="青岛市测试局", credit_code=CITY)
    items = [implementation(basic, city, promised_limit_days=1, popularity=5)]
    for n, district in enumerate(("370202", "370203", "370211"), start=1):
        department = district_department(district, n)
        items.append(implementation(basic, department, promised_limit_days=n, popularity=n))
    return basic, items


# Codes ------------------------------------------------------------------------------------------


def test_a_good_implementation_code_passes_the_model_checks(marriage):
    _basic, items = marriage
    for item in items:
        item.full_clean()
    assert len(items[0].code) == 28 and items[0].code == CITY + "QR00162000"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (CITY + "QR0016200", "implementation_length"),  # one character short
        (CITY + "ZZ00162000", "basic_type"),  # no such item-type code
        (WRONG_CHECK + "QR00162000", "implementation_credit_code"),
        (SHINAN + "QR00162000", "implementation_department"),  # another department's code
        (CITY + "QR00163000", "implementation_basic"),  # another basic service's code
        (CITY + "QR00162000" + "AB1", "implementation_suffix"),
    ],
)
def test_each_kind_of_bad_code_is_refused_by_name(marriage, code, expected):
    item = marriage[1][0]
    item.code = code
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert code_of(caught.value, "code") == expected


def test_basic_code_must_match_the_services_kind_and_structure():
    basic = BasicServiceFactory.build(basic_code="XK00001000", kind="confirmation", name="某服务")
    with pytest.raises(ValidationError) as caught:
        basic.full_clean()
    assert code_of(caught.value, "basic_code") == "basic_kind"
    for bad, expected in (("XK0001000", "basic_length"), ("XKA0001000", "basic_digits")):
        with pytest.raises(ValidationError) as caught:
            codes.validate_basic_code(bad)
        assert caught.value.code == expected


def test_a_departments_credit_code_is_a_government_bodys_of_its_region():
    department = DepartmentFactory.build(
        code="X", name="某局", region=region("370202"), credit_code=CITY
    )
    with pytest.raises(ValidationError) as caught:
        department.full_clean()
    assert code_of(caught.value, "credit_code") == "credit_code_region"
    department.credit_code = make_uscc(7, "370202", kind="91")  # a company's
    with pytest.raises(ValidationError) as caught:
        department.full_clean()
    assert code_of(caught.value, "credit_code") == "credit_code_not_government"
    department.credit_code = SHINAN[:17] + ("0" if SHINAN[17] != "0" else "1")
    with pytest.raises(ValidationError) as caught:
        department.full_clean()
    assert code_of(caught.value, "credit_code") == "uscc_check"


HEADER = "code,basic,name,domain,kind,department,legal_limit_days,promised_limit_days"


def test_import_names_each_bad_code_and_stores_nothing(marriage):
    city = marriage[1][0].department
    BasicServiceFactory(basic_code="QR00170000", kind="confirmation", name="新服务")
    good = f"{CITY}QR00170000,QR00170000,新服务,other,confirmation,{city.code},20,5"
    rows = [
        good,  # line 2
        f"{CITY}QR0017000,QR00170000,新服务,other,confirmation,{city.code},20,5",  # 3: length
        f"{SHINAN}QR00170000,QR00170000,新服务,other,confirmation,{city.code},20,5",  # 4
        f"{CITY}QR00162000,QR00170000,新服务,other,confirmation,{city.code},20,5",  # 5
        f"{CITY}QR00170000001,ZZ00170000,新服务,other,confirmation,{city.code},20,5",  # 6
        f"{CITY}QR00170000002,QR00999000,新服务,other,confirmation,{city.code},20,5",  # 7
    ]
    handle = io.BytesIO("\n".join([HEADER, *rows]).encode())
    handle.name = "items.csv"
    before = ServiceItem.objects.count()
    result = import_items(handle)
    assert not result.ok
    named = {(e.line, e.field, e.code) for e in result.errors}
    assert named == {
        (3, "code", "implementation_length"),
        (4, "code", "implementation_department"),
        (5, "code", "implementation_basic"),
        (6, "basic", "basic_type"),
        (7, "basic", "basic_unknown"),
    }
    assert ServiceItem.objects.count() == before  # the good row too: all or nothing
    handle = io.BytesIO("\n".join([HEADER, good]).encode())
    handle.name = "items.csv"
    assert import_items(handle).ok
    assert ServiceItem.objects.get(code=f"{CITY}QR00170000").basic.name == "新服务"


# Pages ------------------------------------------------------------------------------------------


def test_a_service_of_four_implementations_is_one_search_row(client, marriage):
    basic, items = marriage
    response = client.get("/search/", {"q": "结婚登记"})
    html = response.content.decode()
    assert response.context["page_obj"].paginator.count == 1
    assert html.count(f'href="/services/{basic.basic_code}/"') == 1
    for item in items:  # each district's implementation is one click away on the row
        assert f'href="/items/{item.code}/"' in html


def test_the_browse_page_shows_each_service_once(client, marriage):
    basic, _items = marriage
    html = client.get("/items/").content.decode()
    assert html.count(f'href="/services/{basic.basic_code}/"') == 1


def test_the_service_page_lists_every_district_and_the_legal_basis(client, marriage):
    basic, items = marriage
    response = client.get(f"/services/{basic.basic_code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "《婚姻登记条例》" in html
    for name in ("青岛市", "市南区", "市北区", "黄岛区"):
        assert f'<th scope="row">{name}</th>' in html
    for item in items:
        assert f'href="/items/{item.code}/"' in html
    assert '<select id="district" name="district" required>' in html


def test_a_service_with_no_known_legal_basis_shows_a_dash(client):
    basic = BasicServiceFactory(basic_code="BM00001000", kind="convenience", legal_basis="")
    html = client.get(f"/services/{basic.basic_code}/").content.decode()
    assert "<dd>—</dd>" in html
    assert "依据：" not in html


def test_choosing_a_district_opens_its_implementation(client, marriage):
    basic, items = marriage
    url = f"/services/{basic.basic_code}/"
    shibei = next(i for i in items if i.department.region_id == "370203")
    response = client.get(url, {"district": "370203"})
    assert response.status_code == 302 and response["Location"] == f"/items/{shibei.code}/"
    # a district with no department of its own is served by the city's
    response = client.get(url, {"district": "370212"})
    assert response["Location"] == f"/items/{items[0].code}/"
    # something that is no Qingdao district is ignored: the page, not the city's implementation
    assert client.get(url, {"district": "999999"}).status_code == 200


def test_choosing_a_district_nobody_serves_says_so(client):
    basic = BasicServiceFactory(basic_code="GG00500000", kind="public_service")
    implementation(basic, district_department("370202", 9))
    response = client.get(f"/services/{basic.basic_code}/", {"district": "370213"})
    assert response.status_code == 200
    assert "李沧区" in response.content.decode()  # named in the message, not redirected


def test_the_implementation_page_links_its_service_and_the_other_districts(client, marriage):
    basic, items = marriage
    html = client.get(items[1].get_absolute_url()).content.decode()
    assert f'href="/services/{basic.basic_code}/"' in html
    for other in items[0:1] + items[2:]:
        assert f'href="/items/{other.code}/"' in html


def test_an_old_address_redirects_permanently_to_the_new_code(client, marriage):
    item = marriage[1][1]
    item.former_code = "37020200-QR-0058"
    item.save()
    response = client.get("/items/37020200-QR-0058/", {"lat": "36.07"})
    assert response.status_code == 301
    assert response["Location"] == f"/items/{item.code}/?lat=36.07"
    assert client.get("/items/37020200-QR-9999/").status_code == 404


def test_english_pages_show_the_english_fee_basis_and_material_note(client, english, marriage):
    item = marriage[1][0]
    item.fee = Decimal("20")
    item.fee_note = "居民身份证工本费每证20元"
    item.fee_note_en = "Identity card production fee: 20 yuan per card"
    item.save()
    Material.objects.create(
        item=item,
        name="照片",
        note="刷卡或刷脸",
        note_en="Swipe your card or have your face scanned",
    )
    english_html = english.get(item.get_absolute_url()).content.decode()
    assert "Identity card production fee: 20 yuan per card" in english_html
    assert "Swipe your card or have your face scanned" in english_html
    assert "居民身份证工本费每证20元" not in english_html
    english.cookies["django_language"] = "zh-hans"
    chinese_html = english.get(item.get_absolute_url()).content.decode()
    assert "居民身份证工本费每证20元" in chinese_html and "刷卡或刷脸" in chinese_html


def test_the_service_page_runs_the_same_queries_for_4_or_11_districts(
    client, marriage, django_assert_max_num_queries
):
    basic, _items = marriage
    url = f"/services/{basic.basic_code}/"
    client.get(url)  # warm the per-process caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url, {"v": "1"})
    districts = ("370212", "370213", "370214", "370215", "370281", "370283", "370285")
    for n, district in enumerate(districts, start=10):
        implementation(basic, district_department(district, n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"v": "2"})
    assert response.content.decode().count('<th scope="row">') == 11


# API and CPSV-AP -------------------------------------------------------------------------------


def test_the_api_lists_the_basic_catalogue_and_one_service_with_its_implementations(
    client, marriage
):
    basic, items = marriage
    listed = client.get("/api/v1/services/").json()
    row = next(r for r in listed["results"] if r["basic_code"] == basic.basic_code)
    assert row["implementation_count"] == 4
    assert row["legal_basis"] == "《婚姻登记条例》"
    assert row["competent_levels"] == ["city", "district"]
    detail = client.get(f"/api/v1/services/{basic.basic_code}/").json()
    assert {i["code"] for i in detail["implementations"]} == {i.code for i in items}
    assert {i["department"]["region"] for i in detail["implementations"]} == {
        "370200", "370202", "370203", "370211",
    }  # fmt: skip
    assert client.get("/api/v1/services/XK99999000/").status_code == 404


def test_an_item_in_the_api_names_its_basic_service_and_old_codes_redirect(client, marriage):
    basic, items = marriage
    item = items[1]
    body = client.get(f"/api/v1/items/{item.code}/").json()
    assert body["basic_code"] == basic.basic_code
    assert body["service"].endswith(f"/api/v1/services/{basic.basic_code}/")
    assert body["department"]["credit_code"] == item.department.credit_code
    item.former_code = "37020200-QR-0058"
    item.save()
    response = client.get("/api/v1/items/37020200-QR-0058/")
    assert response.status_code == 301
    assert response["Location"].endswith(f"/api/v1/items/{item.code}/")


def test_cpsv_identifies_an_implementation_by_its_code_and_links_its_basic_service(
    client, marriage
):
    basic, items = marriage
    nodes = [
        client.get(f"/api/cpsv/services/{item.code}", HTTP_ACCEPT="application/ld+json").json()
        for item in items[:2]
    ]
    assert [node["identifier"] for node in nodes] == [item.code for item in items[:2]]
    assert nodes[0]["basicService"] == nodes[1]["basicService"]
    assert nodes[0]["basicService"].endswith(f"/basic-services/{basic.basic_code}")
    assert nodes[0]["basicCode"] == basic.basic_code


def test_an_old_code_still_finds_its_implementation(marriage):
    from portal.catalogue.selectors import item_queryset, search_items

    item = marriage[1][2]
    item.former_code = "37020300-QR-0058"
    item.save()
    assert [i.code for i in search_items(item_queryset(), "37020300-QR-0058")][:1] == [item.code]
