"""The application's documents as PDFs in Chinese: the receipt (受理回执), the decision letter
(grant or refusal with the objection route) and the assignment notice."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.signing.documents import signed_pdf_response
from portal.signing.services import SigningFailed

from .. import selectors, services
from ..models import Decision
from .common import readable

DOCUMENTS = {
    "receipt": ("legal_aid/pdf/receipt.html", "受理回执"),
    "decision": ("legal_aid/pdf/decision.html", "法律援助决定书"),
    "assignment": ("legal_aid/pdf/assignment.html", "指派通知书"),
}


@login_required
def document(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    app = readable(request, reference)
    if kind not in DOCUMENTS or kind not in selectors.available_documents(app):
        raise Http404
    services.log_access(app, request.user, channel="pdf")
    template, title = DOCUMENTS[kind]
    centre = app.competent_centre
    try:
        with translation.override("zh-hans"):
            return signed_pdf_response(
                template,
                {
                    "app": app,
                    "title": title,
                    "granted": app.decision == Decision.GRANTED,
                    "today": timezone.localdate(),
                },
                f"{app.reference}-{kind}.pdf",
                request=request,
                # sealed by the competent centre, once per version of what the letter says
                kind=f"legal_aid_{kind}",
                subject=app.reference,
                authority=centre_authority(centre),
                authority_name=centre.name,
                title=f"{title} {app.reference}",
                version=_version(app, kind),
            )
    except SigningFailed as exc:
        messages.error(request, _("The document could not be issued: %s") % exc)
        own = app.applicant_id == request.user.pk
        return redirect(
            "legal_aid:application" if own else "legal_aid:staff_application", app.reference
        )


def centre_authority(centre) -> str:
    return f"legal_aid:{centre.code}"


def _version(app, kind: str) -> str:
    """What the letter says changes only with these: a new value issues a new letter (the
    previous one superseded)."""
    if kind == "receipt":
        return f"{app.competent_centre_id}"
    if kind == "decision":
        return f"{app.decision}:{app.decided_at:%Y%m%d%H%M%S}" if app.decided_at else app.decision
    return f"{app.lawyer_id}:{app.assigned_at:%Y%m%d%H%M%S}" if app.assigned_at else ""


def authorities():
    """The legal-aid centres as signing authorities (``make_dev_ca`` makes their keys)."""
    from ..models import Centre

    for code, name in Centre.objects.order_by("code").values_list("code", "name"):
        yield f"legal_aid:{code}", name
