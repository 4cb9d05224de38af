"""The application's documents as PDFs in Chinese: the receipt (受理回执), the decision letter
(grant or refusal with the objection route) and the assignment notice."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone, translation

from portal.pdf import pdf_response

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
    with translation.override("zh-hans"):
        return pdf_response(
            template,
            {
                "app": app,
                "title": title,
                "granted": app.decision == Decision.GRANTED,
                "today": timezone.localdate(),
            },
            filename=f"{app.reference}-{kind}.pdf",
            request=request,
        )
