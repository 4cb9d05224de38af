"""The shared registers as facts for smart approval (ADR 0117): the company and person
registers and the certificates they hold, read for the applicant of one case
(:func:`approvals.services.smart.register_source`, called in this app's ``ready()``). A register
with no record of the applicant answers nothing, so a check on it fails ("no record")."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone

from approvals.models import Case, SmartField

from .models import Certificate, CertificateStatus, Company, Person


def _years_between(start: datetime.date, end: datetime.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def company_facts(case: Case) -> dict[str, Any]:
    if case.applicant_kind != "company":
        return {}
    company = Company.objects.filter(uscc=case.applicant_id_number).first()
    if company is None:
        return {}
    facts: dict[str, Any] = {
        SmartField.COMPANY_STATUS: company.status,
        SmartField.COMPANY_TYPE: company.type,
        SmartField.COMPANY_REGION: company.district_id,
    }
    if company.established_on is not None:
        facts[SmartField.COMPANY_AGE] = _years_between(company.established_on, timezone.localdate())
    return facts


def person_facts(case: Case) -> dict[str, Any]:
    if case.applicant_kind != "person":
        return {}
    person = Person.objects.filter(resident_id=case.applicant_id_number).first()
    if person is None:
        return {}
    return {SmartField.PERSON_STATUS: person.status, SmartField.PERSON_REGION: person.district_id}


def certificate_facts(case: Case) -> dict[str, Any]:
    """The types of the certificates the applicant holds (one query): all of them, and those
    valid today (status valid and not past their expiry)."""
    holder = (
        Q(company__uscc=case.applicant_id_number)
        if case.applicant_kind == "company"
        else Q(person__resident_id=case.applicant_id_number)
    )
    today = timezone.localdate()
    held: set[str] = set()
    valid: set[str] = set()
    for code, status, expires_on in Certificate.objects.filter(holder).values_list(
        "type__code", "status", "expires_on"
    ):
        held.add(code)
        if status == CertificateStatus.VALID and expires_on >= today:
            valid.add(code)
    return {
        SmartField.CERTIFICATES_HELD: sorted(held),
        SmartField.CERTIFICATES_VALID: sorted(valid),
    }


def register() -> None:
    from approvals.services.smart import register_source

    register_source("company", company_facts)
    register_source("person", person_facts)
    register_source("certificates", certificate_facts)
