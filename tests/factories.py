"""Factories for the portal core's models, shared by every app's tests."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from portal.accounts.models import Role, User
from portal.catalogue.models import (
    Department,
    DepartmentLevel,
    Domain,
    ItemKind,
    Region,
    ServiceItem,
)
from portal.validators import resident_id_check_character, uscc_check_character


def region(code: str = "370200") -> Region:
    """Regions come from a data migration: look them up, never create them."""
    return Region.objects.get(code=code)


def make_resident_id(serial: int, region_code: str = "370202", born: str = "19850312") -> str:
    first17 = f"{region_code}{born}{serial % 1000:03d}"
    return first17 + resident_id_check_character(first17)


def make_uscc(serial: int, region_code: str = "370200") -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = ""
    n = serial
    for _ in range(9):
        body = alphabet[n % 31] + body
        n //= 31
    first17 = f"91{region_code}{body}"
    return first17 + uscc_check_character(first17)


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"DEPT{n:04d}")
    name = factory.Sequence(lambda n: f"测试部门{n}")
    name_en = factory.Sequence(lambda n: f"Test department {n}")
    region = factory.LazyFunction(lambda: region("370200"))
    level = DepartmentLevel.CITY


class ServiceItemFactory(DjangoModelFactory):
    class Meta:
        model = ServiceItem
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TEST-{n:05d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    name_en = factory.Sequence(lambda n: f"Test item {n}")
    domain = Domain.ADMINISTRATIVE_APPROVAL
    kind = ItemKind.LICENCE
    department = factory.SubFactory(DepartmentFactory)
    legal_limit_days = 20
    promised_limit_days = 5
    online = True


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True  # _after_postgeneration saves the password itself

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Sequence(lambda n: f"用户{n}")
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    role = Role.CITIZEN
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        """Store the password set_password hashed (also on a user found by username)."""
        if create and results:
            instance.save()


class StaffUserFactory(UserFactory):
    role = Role.DEPARTMENT_STAFF
    is_staff = True
    department = factory.SubFactory(DepartmentFactory)
