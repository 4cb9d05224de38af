"""Factories and builders for the legal-aid tests."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from legal_aid import services
from legal_aid.models import Body, Centre, Lawyer, StaffMembership, StaffRole
from portal.accounts.models import Role
from portal.catalogue.models import Region
from tests.factories import UserFactory, make_resident_id

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def pdf_upload(name: str = "labour-contract.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def centre(code_or_region: str) -> Centre:
    code = code_or_region if code_or_region.startswith("LA") else f"LA{code_or_region}"
    return Centre.objects.get(code=code)


def body(code: str) -> Body:
    return Body.objects.select_related("region").get(code=code)


def staff_user(centre_code: str, *, role: str = StaffRole.STAFF, username: str | None = None):
    c = centre(centre_code)
    user = UserFactory(
        username=username or f"staff_{c.code.lower().replace('-', '_')}_{role}",
        role=Role.LEGAL_AID_STAFF,
        real_name=f"{c.name}工作人员",
    )
    StaffMembership.objects.update_or_create(user=user, defaults={"centre": c, "role": role})
    return user


def lawyer(centre_code: str, name: str = "李律师", licence: str = "13702201810000001") -> Lawyer:
    return Lawyer.objects.get_or_create(
        licence_number=licence,
        defaults={
            "centre": centre(centre_code),
            "name": name,
            "firm": "山东德衡律师事务所",
            "phone": "13905320001",
        },
    )[0]


def citizen(username: str = "worker", serial: int = 1, mobile: str = "13969001234"):
    return UserFactory(
        username=username,
        real_name="王建国",
        mobile=mobile,
        resident_id=make_resident_id(serial, "370202", "19800101"),
    )


def application_input(**overrides: Any) -> services.ApplicationInput:
    values: dict[str, Any] = {
        "applicant_name": "王建国",
        "resident_id": make_resident_id(1, "370202", "19800101"),
        "phone": "13969001234",
        "residence": Region.objects.get(code="370202"),
        "matter_type": "litigation",
        "category": "labour",
        "opposing_party": "青岛某建筑劳务有限公司",
        "body": body("C370285"),
        "facts": "在莱西的工地干了半年，老板拖欠工资两万元。",
        "exemption": "migrant_worker_wages",
        "commitment": True,
    }
    values.update(overrides)
    return services.ApplicationInput(**values)


def submit(user=None, **overrides: Any):
    return services.submit_application(application_input(**overrides), user=user)


def days_ago(n: int) -> datetime.date:
    from django.utils import timezone

    return timezone.localdate() - datetime.timedelta(days=n)


def log(app):
    """The application's rows of the workflow's shared log, oldest first."""
    from legal_aid.selectors import timeline

    return timeline(app)
