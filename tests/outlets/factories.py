"""Factories for the outlets app's tests."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from outlets import services
from outlets.models import (
    ItemListVersion,
    OpeningHours,
    Operator,
    Outlet,
    OutletKind,
    OutletManager,
    Terminal,
)
from portal.accounts.models import Role
from portal.catalogue.models import Domain, ItemKind
from tests.factories import ServiceItemFactory, UserFactory, region


class OutletFactory(DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"T-OUT-{n:04d}")
    name = factory.Sequence(lambda n: f"测试网点{n}")
    kind = OutletKind.SERVICE_HALL
    operator = Operator.GOVERNMENT
    district = factory.LazyFunction(lambda: region("370202"))
    address = factory.Sequence(lambda n: f"山东省青岛市市南区香港中路{n}号")
    latitude = 36.07
    longitude = 120.41
    phone = "0532-88888888"
    calendar = "working_days"
    closed_on_holidays = True


class BankOutletFactory(OutletFactory):
    kind = OutletKind.BANK_BRANCH
    operator = Operator.CCB
    calendar = "weekly"


class TerminalFactory(DjangoModelFactory):
    class Meta:
        model = Terminal

    outlet = factory.SubFactory(OutletFactory)
    code = factory.Sequence(lambda n: f"TERM-{n:05d}")
    model = "政务服务自助终端 ZW-A1"
    location = "一楼大厅"


class SelfServiceItemFactory(ServiceItemFactory):
    self_service = True
    domain = Domain.SOCIAL_INSURANCE
    kind = ItemKind.CONVENIENCE


class ManagerFactory(UserFactory):
    role = Role.OUTLET_MANAGER


def weekday_hours(outlet: Outlet, days=range(5), sessions=(("09:00", "12:00"), ("13:00", "17:00"))):
    OpeningHours.objects.bulk_create(
        OpeningHours(
            outlet=outlet,
            weekday=d,
            opens=datetime.time.fromisoformat(o),
            closes=datetime.time.fromisoformat(c),
        )
        for d in days
        for o, c in sessions
    )


def bind(user, outlet: Outlet) -> OutletManager:
    return OutletManager.objects.create(user=user, outlet=outlet)


def publish_items(outlet, items, *, user=None, effective=datetime.date(2026, 1, 1), terminals=None):
    """Publish a version with ``items`` (ServiceItems), straight, without a draft."""
    return services.publish_entries(
        outlet,
        user=user,
        effective_date=effective,
        items=[i.pk for i in items],
        terminals={i.pk: [t.pk for t in ts] for i, ts in (terminals or {}).items()},
    )


def versions(outlet) -> list[ItemListVersion]:
    return list(ItemListVersion.objects.filter(outlet=outlet).order_by("number"))
