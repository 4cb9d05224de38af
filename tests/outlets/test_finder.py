"""The finder: outlets offering an item in their list in effect, filtered, nearest first."""

import datetime

import pytest

from outlets import selectors
from outlets.selectors import FinderQuery, great_circle_km
from tests.factories import region

from .factories import BankOutletFactory, OutletFactory, SelfServiceItemFactory, publish_items

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 24, 10, 0)


@pytest.fixture
def item():
    return SelfServiceItemFactory(name="社会保险参保证明打印")


@pytest.fixture
def spread(item):
    """Five outlets at growing distances north of (36.0, 120.4); all list the item but E."""
    outlets = {}
    for i, code in enumerate("ABCDE"):
        outlets[code] = OutletFactory(code=code, latitude=36.0 + 0.01 * (5 - i), longitude=120.4)
        if code != "E":
            publish_items(outlets[code], [item])
    return outlets


def codes(qs) -> list[str]:
    return [o.code for o in qs]


def test_nearest_first_with_distance(spread, item):
    found = list(selectors.find_outlets(FinderQuery(item=item, near=(36.0, 120.4), now=NOW)))
    assert codes(found) == ["D", "C", "B", "A"]
    for outlet in found:
        expected = great_circle_km(36.0, 120.4, outlet.latitude, outlet.longitude)
        assert outlet.distance_km == pytest.approx(expected, rel=1e-9)
    assert found[0].distance_km == pytest.approx(2.22, abs=0.01)


def test_radius_keeps_only_outlets_within(spread, item):
    found = selectors.find_outlets(
        FinderQuery(item=item, near=(36.0, 120.4), radius_km=3.0, now=NOW)
    )
    assert codes(found) == ["D"]


def test_outlet_without_the_item_is_not_offered(spread, item):
    assert "E" not in codes(selectors.find_outlets(FinderQuery(item=item, now=NOW)))
    assert "E" in codes(selectors.find_outlets(FinderQuery(now=NOW)))


def test_only_the_list_in_effect_counts(item):
    other = SelfServiceItemFactory()
    outlet = OutletFactory(code="FUTURE")
    publish_items(outlet, [other], effective=datetime.date(2026, 1, 1))
    publish_items(outlet, [item], effective=datetime.date(2026, 12, 1))
    assert codes(selectors.find_outlets(FinderQuery(item=item, now=NOW))) == []
    later = datetime.datetime(2026, 12, 1, 9)
    assert codes(selectors.find_outlets(FinderQuery(item=item, now=later))) == ["FUTURE"]
    assert codes(selectors.find_outlets(FinderQuery(item=other, now=later))) == []


def test_filters_by_district_kind_and_operator(item):
    hall = OutletFactory(code="HALL")
    bank = BankOutletFactory(code="BANK", district=region("370283"), operator="rcb")
    for outlet in (hall, bank):
        publish_items(outlet, [item])
    assert codes(selectors.find_outlets(FinderQuery(district="370283", now=NOW))) == ["BANK"]
    assert codes(selectors.find_outlets(FinderQuery(kind="service_hall", now=NOW))) == ["HALL"]
    assert codes(selectors.find_outlets(FinderQuery(operator="rcb", now=NOW))) == ["BANK"]
    assert codes(selectors.find_outlets(FinderQuery(operator="icbc", now=NOW))) == []


def test_closed_outlets_are_left_out(spread, item):
    spread["A"].status = "closed"
    spread["A"].save()
    assert "A" not in codes(selectors.find_outlets(FinderQuery(item=item, now=NOW)))


def test_resolve_item_by_code_or_words(item):
    SelfServiceItemFactory(name="医疗保险参保证明打印", popularity=1)
    item.popularity = 5
    item.save()
    best, others = selectors.resolve_item("参保证明")
    assert best == item and [o.name for o in others] == ["医疗保险参保证明打印"]
    assert selectors.resolve_item(item.code.lower())[0] == item
    assert selectors.resolve_item("没有这个事项") == (None, [])
