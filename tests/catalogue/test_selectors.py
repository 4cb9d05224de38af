"""The helpers other apps call: is_on_list and handling_scope."""

from __future__ import annotations

import datetime

import pytest

from portal.catalogue.models import Region
from portal.catalogue.selectors import handling_scope, is_on_list, item_queryset
from tests.catalogue.factories import HandlingListFactory, ListEntryFactory
from tests.factories import DepartmentFactory, ServiceItemFactory, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def regional_list():
    handling_list = HandlingListFactory(kind="regional")
    handling_list.regions.set(Region.objects.filter(jiaodong_member=True))
    return handling_list


def test_is_on_list_with_and_without_annotations(django_assert_num_queries, regional_list):
    item = ServiceItemFactory()
    ListEntryFactory(item=item, handling_list=HandlingListFactory(kind="city_wide"))
    ListEntryFactory(
        item=item, handling_list=regional_list, added_on=datetime.date(2020, 1, 1),
        removed_on=datetime.date(2020, 6, 1),
    )  # fmt: skip
    assert is_on_list(item, "city_wide")
    assert not is_on_list(item, "regional")  # removed: history, not the current list
    annotated = item_queryset().get(pk=item.pk)
    with django_assert_num_queries(0):
        assert is_on_list(annotated, "city_wide")
        assert not is_on_list(annotated, "town")


def test_scope_of_a_regional_item(regional_list, django_assert_max_num_queries):
    item = ServiceItemFactory(self_service=True, online=True)
    ListEntryFactory(item=item, handling_list=regional_list)
    ListEntryFactory(item=item, handling_list=HandlingListFactory(kind="city_wide"))
    annotated = item_queryset().get(pk=item.pk)
    with django_assert_max_num_queries(1):
        scope = handling_scope(annotated)
    assert scope["scope"] == "regional"
    assert scope["regional"] and scope["city_wide"] and not scope["town"]
    assert sorted(r.code for r in scope["regions"]) == [
        "370200", "370600", "370700", "371000", "371100",
    ]  # fmt: skip
    assert "self_service_terminal" in scope["places"] and scope["online"]


def test_scope_of_a_city_wide_district_item():
    department = DepartmentFactory(level="district", region=region("370283"))
    item = ServiceItemFactory(department=department, service_hall=True)
    ListEntryFactory(item=item, handling_list=HandlingListFactory(kind="city_wide"))
    ListEntryFactory(item=item, handling_list=HandlingListFactory(kind="town"))
    scope = handling_scope(item)
    assert scope["scope"] == "city_wide"
    assert [r.code for r in scope["regions"]] == ["370200"]
    assert scope["places"] == ["service_hall", "town_centre"]


def test_scope_of_a_local_item():
    department = DepartmentFactory(level="district", region=region("370285"))
    item = ServiceItemFactory(department=department, online=False, service_hall=True)
    scope = handling_scope(item)
    assert scope["scope"] == "local" and scope["lists"] == []
    assert [r.code for r in scope["regions"]] == ["370285"]
    assert scope["department_region"].name == "莱西市"
