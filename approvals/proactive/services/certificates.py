"""The new certificate of an approved proactive case: issued once, its PDF, the notice."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import (
    Certificate,
    CertificateStatus,
    Company,
    ContactRole,
    Offer,
    OfferReason,
)
from .common import self_only

logger = logging.getLogger(__name__)


def company_particulars(company: Company) -> dict[str, Any]:
    return {
        "name": company.name,
        "legal_representative": company.legal_representative,
        "address": company.address,
        "shareholders": [s.name for s in company.shareholders.all()],
    }


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def issue_certificate_for_case(case_id: int) -> Certificate | None:
    """Issue the new certificate of an approved proactive case (idempotent; two staff approving
    at once still issue one): a new number, the company's current particulars, the old one
    superseded. After commit: the PDF, the case's result and the notice to the applicant."""
    today = timezone.localdate()
    with transaction.atomic():
        offer = (
            Offer.objects.select_for_update(**self_only())
            .select_related("company", "certificate__type", "case")
            .filter(case_id=case_id)
            .first()
        )
        if offer is None:
            return None
        if offer.new_certificate_id:
            return offer.new_certificate
        old = Certificate.objects.select_for_update().get(pk=offer.certificate_id)
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
            issued_on=today,
            expires_on=max(expires, today),
            particulars=company_particulars(offer.company),
            supersedes=old,
            case_reference=offer.case.reference if offer.case else "",
        )
        old.status = CertificateStatus.SUPERSEDED
        old.save(update_fields=["status"])
        offer.new_certificate = new
        offer.save(update_fields=["new_certificate"])
        transaction.on_commit(lambda: after_issue(new.pk, case_id))
    return new


def after_issue(certificate_id: int, case_id: int) -> None:
    """After the certificate is committed: the result is issued on the case, the PDF stored,
    the applicant told. Each step is idempotent and a failure is logged, not raised."""
    from approvals.services import transition

    try:
        transition(case_id, "issue_result", note=_("New certificate issued."))
    except Exception:  # the case may already be past this step
        logger.info("issue_result not applied to case %s", case_id, exc_info=True)
    try:
        ensure_certificate_pdf(certificate_id)
    except Exception:
        logger.exception("certificate PDF %s failed", certificate_id)
    notify_certificate_issued(certificate_id)


def certificate_verification_url(certificate: Certificate) -> str:
    path = reverse("proactive:verify", args=[certificate.verification_code])
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def qr_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").png_data_uri(scale=4, border=2)


def certificate_pdf_bytes(certificate: Certificate) -> bytes:
    from portal.pdf import render_pdf

    url = certificate_verification_url(certificate)
    return render_pdf(
        "proactive/certificate_pdf.html",
        {"certificate": certificate, "verify_url": url, "qr": qr_data_uri(url)},
    )


def ensure_certificate_pdf(certificate_id: int) -> Certificate:
    from django.core.files.base import ContentFile

    certificate = Certificate.objects.select_related("type", "company").get(pk=certificate_id)
    if certificate.pdf:
        return certificate
    data = certificate_pdf_bytes(certificate)
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(data), save=False)
    Certificate.objects.filter(pk=certificate.pk, pdf="").update(pdf=certificate.pdf.name)
    return certificate


def notify_certificate_issued(certificate_id: int) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _notify_certificate_issued(certificate_id)


def _notify_certificate_issued(certificate_id: int) -> None:
    from portal.notifications.services import OutgoingMessage, send_bulk

    certificate = Certificate.objects.select_related("type", "company").get(pk=certificate_id)
    link = certificate_verification_url(certificate)
    subject = _("Your new %(type)s %(number)s is issued") % {
        "type": certificate.type.name,
        "number": certificate.number,
    }
    messages = []
    for contact in certificate.company.contacts.filter(role=ContactRole.LEGAL_REPRESENTATIVE):
        key = f"proactive:issued:{certificate.pk}:{contact.pk}"
        if contact.user_id:
            messages.append(
                OutgoingMessage(
                    channel="inbox",
                    subject=subject,
                    recipient=contact.user,
                    link=link,
                    key=f"{key}:inbox",
                )
            )
        if contact.mobile:
            messages.append(
                OutgoingMessage(
                    channel="sms",
                    subject=subject,
                    body=link,
                    address=contact.mobile,
                    key=f"{key}:sms",
                )
            )
    send_bulk(messages)
