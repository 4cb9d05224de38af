"""The new certificate of an approved proactive case: issued once, its PDF, the notice."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.catalogue.forms import local_name
from portal.languages import in_each_language
from portal.signing import authorities as signing_authorities
from portal.signing import services as signing
from portal.signing.models import IssuedDocument

from ..models import (
    Certificate,
    CertificateStatus,
    Company,
    ContactRole,
    Offer,
    OfferReason,
    Person,
)
from .common import self_only
from .courier import dispatch

logger = logging.getLogger(__name__)


def company_particulars(company: Company) -> dict[str, Any]:
    return {
        "name": company.name,
        "legal_representative": company.legal_representative,
        "address": company.address,
        "shareholders": [s.name for s in company.shareholders.all()],
    }


def person_particulars(person: Person) -> dict[str, Any]:
    """What a person-held certificate prints about its holder."""
    return {"name": person.name, "resident_id": person.resident_id, "address": person.address}


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def issue_certificate_for_case(case_id: int) -> Certificate | None:
    """Issue the new certificate of an approved proactive case (idempotent; two staff approving
    at once still issue one): a new number, the company's current particulars, the old one
    superseded, the PDF signed in the department's name. After commit: the case's result and
    the notice to the applicant. A signing failure (:class:`SigningFailed`) issues nothing and
    leaves the case as it was; the department's staff are told why, and it is raised."""
    try:
        return _issue_certificate_for_case(case_id)
    except signing.SigningFailed as exc:
        logger.error("certificate of case %s not issued: %s", case_id, exc)
        tell_staff_signing_failed(case_id, str(exc))
        raise


def tell_staff_signing_failed(case_id: int, reason: str) -> None:
    """The competent department's staff (inbox): the certificate was not issued, and why."""
    from django.contrib.auth import get_user_model

    from approvals.models import Case
    from approvals.permissions import DEPARTMENT_STAFF_ROLE
    from portal.notifications.services import send_bulk, to_staff

    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return
    staff = get_user_model().objects.filter(
        role=DEPARTMENT_STAFF_ROLE, department_id=case.department_id, is_active=True
    )

    def compose() -> tuple[str, str]:
        subject = _("Certificate of case %(reference)s not issued: signing failed") % {
            "reference": case.reference
        }
        body = _(
            "%(reason)s Nothing was issued and the case is as it was (the old certificate "
            "stays valid). Once the signing key is fixed, the administrator issues it again "
            "(manage.py issue_pending_certificates)."
        ) % {"reason": reason}
        return subject, body

    subject, body = in_each_language(compose)
    stamp = timezone.now().strftime("%Y%m%d%H%M")
    send_bulk(
        to_staff(
            staff,
            subject=subject,
            body=body,
            link=case.get_absolute_url(),
            key=f"proactive:signing-failed:{case_id}:{stamp}",
        )
    )


def _issue_certificate_for_case(case_id: int) -> Certificate | None:
    today = timezone.localdate()
    with transaction.atomic():
        offer = (
            Offer.objects.select_for_update(**self_only())
            .select_related("company", "person", "certificate__type", "case")
            .filter(case_id=case_id)
            .first()
        )
        if offer is None:
            return None
        if offer.new_certificate_id:
            return offer.new_certificate
        old = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("type__item__department")
            .get(pk=offer.certificate_id)
        )
        expires = (
            _add_years(today, old.type.validity_years)
            if offer.reason == OfferReason.EXPIRY
            else old.expires_on
        )
        new = Certificate.objects.create(
            type=old.type,
            number=f"{old.type.code}{today:%Y%m%d}{case_id:06d}",
            grade=old.grade,
            company=offer.company,
            person=offer.person,
            issued_on=today,
            expires_on=max(expires, today),
            particulars=company_particulars(offer.company)
            if offer.company is not None
            else person_particulars(offer.person)
            if offer.person is not None
            else {},
            supersedes=old,
            case_reference=offer.case.reference if offer.case else "",
        )
        # signed in the issuing transaction: a signing failure raises SigningFailed and
        # nothing is issued (no certificate, the old one still valid, the case as it was)
        seal_certificate(new)
        old.status = CertificateStatus.SUPERSEDED
        old.save(update_fields=["status"])
        signing.supersede(old.verification_code, new.verification_code, on=today)
        offer.new_certificate = new
        offer.save(update_fields=["new_certificate"])
        dispatch(offer.pk)  # the courier order, placed by a task after commit
        transaction.on_commit(lambda: after_issue(new.pk, case_id))
    return new


def after_issue(certificate_id: int, case_id: int) -> None:
    """After the certificate is committed: the result is issued on the case, the PDF stored,
    the applicant told. Each step is idempotent and a failure is logged, not raised."""
    from approvals.services import transition

    # The certificate's notice first: it is the case's result told with the certificate's
    # number and link, under the key of the case's result, so the step's own plainer notice
    # ("result issued") finds it stored and is not sent as well (one message per event).
    try:
        notify_certificate_issued(certificate_id)
    except Exception:
        logger.exception("certificate notice %s failed", certificate_id)
    try:
        transition(
            case_id, "issue_result", note=in_each_language(lambda: _("New certificate issued."))
        )
    except Exception:  # the case may already be past this step
        logger.info("issue_result not applied to case %s", case_id, exc_info=True)
    try:
        ensure_certificate_pdf(certificate_id)
    except Exception:
        logger.exception("certificate PDF %s failed", certificate_id)


def certificate_verification_url(certificate: Certificate) -> str:
    path = reverse("proactive:verify", args=[certificate.verification_code])
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").png_data_uri(scale=4, border=2)


def certificate_authority(certificate: Certificate) -> tuple[str, str]:
    """The authority that issues ``certificate``: the competent department of its item."""
    department = certificate.type.item.department
    return signing_authorities.department_code(department), department.name


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    """The certificate as typeset, before it is sealed."""
    from portal.pdf import render_pdf

    url = certificate_verification_url(certificate)
    _code, authority_name = certificate_authority(certificate)
    return render_pdf(
        "proactive/certificate_pdf.html",
        {
            "certificate": certificate,
            "verify_url": url,
            "qr": qr_data_uri(url),
            "authority_name": authority_name,
        },
    )


def seal_certificate(certificate: Certificate) -> Certificate:
    """Typeset, sign in the issuing department's name, register (code = the certificate's
    verification code) and store the PDF, in the caller's transaction. Raises SigningFailed."""
    from django.core.files.base import ContentFile

    authority, authority_name = certificate_authority(certificate)
    _document, signed = signing.register_signed(
        certificate_pdf_bytes(certificate),
        kind="certificate",
        subject=certificate.number,
        authority=authority,
        authority_name=authority_name,
        code=certificate.verification_code,
        title=f"{certificate.type.name} {certificate.number}",
    )
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(signed), save=False)
    Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
    return certificate


def ensure_certificate_pdf(certificate_id: int) -> Certificate:
    """The certificate with its signed PDF; one issued before the seal (or whose PDF is gone)
    is sealed now and registered with its current status."""
    found = Certificate.objects.select_related("type", "company").get(pk=certificate_id)
    if found.pdf:
        return found
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related("type__item__department", "company", "superseded_by")
            .get(pk=certificate_id)
        )
        if certificate.pdf:
            return certificate
        IssuedDocument.objects.filter(code=certificate.verification_code).delete()
        seal_certificate(certificate)
        replacement = getattr(certificate, "superseded_by", None)
        signing.set_status(
            certificate.verification_code,
            _REGISTER_STATUS.get(certificate.status, "current"),
            replacement_code=replacement.verification_code if replacement else "",
        )
    return certificate


# a certificate's status -> its entry in the signing register (expiry is on the certificate)
_REGISTER_STATUS: dict[str, str] = {
    CertificateStatus.SUPERSEDED: "superseded",
    CertificateStatus.REVOKED: "revoked",
}


def revoke_certificate(certificate_id: int) -> Certificate:
    """Revoke a certificate: its status and its signing-register entry change together."""
    today = timezone.localdate()
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate_id)
        certificate.status = CertificateStatus.REVOKED
        certificate.save(update_fields=["status"])
        signing.revoke(certificate.verification_code, on=today)
    return certificate


def notify_certificate_issued(certificate_id: int) -> None:
    from approvals.models import Case
    from approvals.services.steps import result_key
    from portal.notifications.models import Action
    from portal.notifications.services import send_bulk, to_person

    certificate = Certificate.objects.select_related("type", "company", "person").get(
        pk=certificate_id
    )
    link = certificate_verification_url(certificate)

    def compose() -> tuple[str, str]:
        values = {
            "type": local_name(certificate.type),
            "number": certificate.number,
            "issued": certificate.issued_on.isoformat(),
            "expires": certificate.expires_on.isoformat(),
        }
        subject = _("Your new %(type)s %(number)s is issued") % values
        body = (
            _(
                "Your new %(type)s %(number)s was issued on %(issued)s and is valid until "
                "%(expires)s; it replaces the old one. Its verification page shows that it is "
                "genuine."
            )
            % values
        )
        return subject, body

    subject, body = in_each_language(compose)
    # to the person who applied, this notice is the case's result (the same event as the step)
    case = Case.objects.filter(reference=certificate.case_reference or None).first()
    messages = []
    contacts = certificate.holder.contacts.filter(
        role__in=[ContactRole.LEGAL_REPRESENTATIVE, ContactRole.HOLDER]
    )
    for contact in contacts:
        messages += to_person(
            user=contact.user if contact.user_id else None,
            mobile=contact.mobile,
            subject=subject,
            body=body,
            sms_body=f"{body} {link}",
            link=link,
            key=result_key(case.pk)
            if case is not None and contact.user_id and contact.user_id == case.applicant_user_id
            else f"proactive:issued:{certificate.pk}:{contact.pk}",
            action=Action.VIEW_CERTIFICATE,
        )
    send_bulk(messages)
