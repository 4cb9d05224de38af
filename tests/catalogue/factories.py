"""Factories for the catalogue's lists and materials (items and departments: tests/factories)."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from portal.catalogue.models import HandlingList, ListEntry, ListKind, Material, MaterialSource
from tests.factories import ServiceItemFactory


class HandlingListFactory(DjangoModelFactory):
    class Meta:
        model = HandlingList
        django_get_or_create = ("kind",)

    kind = ListKind.CITY_WIDE
    name = factory.LazyAttribute(lambda o: f"{o.kind}清单")
    name_en = factory.LazyAttribute(lambda o: f"{o.kind} list")


class ListEntryFactory(DjangoModelFactory):
    class Meta:
        model = ListEntry

    handling_list = factory.SubFactory(HandlingListFactory)
    item = factory.SubFactory(ServiceItemFactory)
    added_on = datetime.date(2020, 3, 31)


class MaterialFactory(DjangoModelFactory):
    class Meta:
        model = Material

    item = factory.SubFactory(ServiceItemFactory)
    name = factory.Sequence(lambda n: f"申请材料{n}")
    required = True
    source = MaterialSource.APPLICANT
