"""The documents a case issues in the competent department's name (acceptance notice, decision):
sealed through ``portal.signing`` once per version, then served from the register."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from portal.signing.authorities import department_code
from portal.signing.documents import signed_pdf_response

from . import selectors
from .models import Case


def _issuer(case: Case) -> dict[str, str]:
    # the competent department issues both, whichever point (or the online platform) accepted
    return {"authority": department_code(case.department), "authority_name": case.department.name}


def acceptance_notice_response(case: Case, request: HttpRequest) -> HttpResponse:
    """Raises ``portal.signing.services.SigningFailed`` when it cannot be sealed."""
    with translation.override("zh-hans"):
        return signed_pdf_response(
            "approvals/pdf/acceptance_notice.html",
            {"case": case, "materials": list(case.materials.all())},
            f"{case.reference}-acceptance-notice.pdf",
            request=request,
            kind="acceptance_notice",
            subject=case.reference,
            title=f"受理通知书 {case.reference}",
            version=f"{case.accepted_on:%Y%m%d}",
            **_issuer(case),
        )


def decision_response(case: Case, request: HttpRequest) -> HttpResponse:
    approved = selectors.was_approved(case)
    with translation.override("zh-hans"):
        return signed_pdf_response(
            "approvals/pdf/decision.html",
            {
                "case": case,
                "approved": approved,
                "title": selectors.decision_title(case, approved),
                "licensing": selectors.decision_is_licensing(case),
            },
            f"{case.reference}-decision.pdf",
            request=request,
            kind="decision",
            subject=case.reference,
            title=f"{selectors.decision_title(case, approved)} {case.reference}",
            version=f"{case.status}:{case.decided_at:%Y%m%d%H%M%S}" if case.decided_at else "",
            **_issuer(case),
        )
