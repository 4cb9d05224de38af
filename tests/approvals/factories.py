"""Factories and helpers for the cases tests."""

from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from approvals.models import AcceptancePoint, PointKind, PointStaff
from portal.accounts.models import Role
from portal.catalogue.models import (
    DepartmentLevel,
    HandlingList,
    ListEntry,
    Material,
    Region,
)
from tests.factories import (
    DepartmentFactory,
    ServiceItemFactory,
    StaffUserFactory,
    UserFactory,
    make_resident_id,
    make_uscc,
)

__all__ = [
    "AcceptancePointFactory",
    "DepartmentFactory",
    "ServiceItemFactory",
    "StaffUserFactory",
    "UserFactory",
    "department_staff",
    "district_department",
    "make_resident_id",
    "make_uscc",
    "material",
    "point_staff",
    "put_on_list",
]


class AcceptancePointFactory(DjangoModelFactory):
    class Meta:
        model = AcceptancePoint
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"PT{n:04d}")
    name = factory.Sequence(lambda n: f"测试政务服务大厅{n}")
    region = factory.LazyFunction(lambda: Region.objects.get(code="370200"))
    kind = PointKind.SERVICE_HALL


def hall(region_code: str, name: str | None = None) -> AcceptancePoint:
    region = Region.objects.get(code=region_code)
    return AcceptancePointFactory(
        code=f"HALL-{region_code}", name=name or f"{region.name}政务服务大厅", region=region
    )


def point_staff(point: AcceptancePoint, username: str | None = None, **kwargs):
    user = StaffUserFactory(username=username or f"staff-{point.code}".lower(), **kwargs)
    PointStaff.objects.update_or_create(user=user, defaults={"point": point})
    return user


def department_staff(department, username: str | None = None):
    return StaffUserFactory(
        username=username or f"dept-{department.code}".lower(),
        department=department,
        role=Role.DEPARTMENT_STAFF,
    )


def district_department(region_code: str, code: str | None = None):
    return DepartmentFactory(
        code=code or f"D{region_code}",
        name=f"{Region.objects.get(code=region_code).name}行政审批服务局",
        region=Region.objects.get(code=region_code),
        level=DepartmentLevel.DISTRICT,
    )


def put_on_list(item, kind: str) -> None:
    handling_list, _ = HandlingList.objects.get_or_create(
        kind=kind,
        defaults={"name": {"city_wide": "全市通办", "regional": "区域通办"}.get(kind, kind)},
    )
    ListEntry.objects.get_or_create(
        handling_list=handling_list,
        item=item,
        removed_on=None,
        defaults={"added_on": datetime.date(2020, 12, 1)},
    )


def material(item, name: str, source: str = "applicant", required: bool = True, **kwargs):
    return Material.objects.create(item=item, name=name, source=source, required=required, **kwargs)
