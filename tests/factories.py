"""Factories for the portal core's models, shared by every app's tests."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from portal.accounts.models import Role, User
from portal.catalogue.codes import TYPE_CODES
from portal.catalogue.models import (
    BasicService,
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


def make_uscc(serial: int, region_code: str = "370200", kind: str = "91") -> str:
    """A structure-valid credit code: ``91`` a company's, ``11`` a government body's."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = ""
    n = serial
    for _ in range(9):
        body = alphabet[n % 31] + body
        n //= 31
    first17 = f"{kind}{region_code}{body}"
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
    credit_code = factory.LazyAttributeSequence(
        lambda o, n: make_uscc(900_000 + n, o.region.code, kind="11")
    )


class BasicServiceFactory(DjangoModelFactory):
    """A service of the basic catalogue (ADR 0121), its code of its kind's type code."""

    class Meta:
        model = BasicService
        django_get_or_create = ("basic_code",)

    name = factory.Sequence(lambda n: f"测试事项{n}")
    name_en = factory.Sequence(lambda n: f"Test item {n}")
    domain = Domain.ADMINISTRATIVE_APPROVAL
    kind = ItemKind.LICENCE
    basic_code = factory.LazyAttributeSequence(
        lambda o, n: f"{TYPE_CODES[o.kind]}{90_000 + n % 10_000:05d}000"
    )
    competent_levels = "city"


class ServiceItemFactory(DjangoModelFactory):
    """An implementation; by default of a basic service of its own (same name, kind and
    domain)."""

    class Meta:
        model = ServiceItem
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TEST-{n:05d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    name_en = factory.Sequence(lambda n: f"Test item {n}")
    domain = Domain.ADMINISTRATIVE_APPROVAL
    kind = ItemKind.LICENCE
    department = factory.SubFactory(DepartmentFactory)
    basic = factory.SubFactory(
        BasicServiceFactory,
        name=factory.SelfAttribute("..name"),
        name_en=factory.SelfAttribute("..name_en"),
        kind=factory.SelfAttribute("..kind"),
        domain=factory.SelfAttribute("..domain"),
    )
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


def bulk_basic_services(
    count: int, kind: str = ItemKind.LICENCE, domain: str = Domain.OTHER
) -> list[BasicService]:
    """``count`` basic services in one insert, for tests that bulk-create their implementations
    (each its own service unless the test shares one)."""
    start = BasicService.objects.count()
    return BasicService.objects.bulk_create(
        BasicService(
            basic_code=f"{TYPE_CODES[kind]}{(start + n) % 100_000:05d}001",
            name=f"批量服务{start + n}",
            kind=kind,
            domain=domain,
        )
        for n in range(count)
    )
