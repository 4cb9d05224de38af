"""Staff pages: the centre's worklist, an application's full record (each opening logged),
the workflow forms, progress notes, the 12348 hotline's consultations, and the counter's form
for a walk-in application."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import idempotency
from portal.privatepage import private_page
from portal.validators import mask_identifier
from portal.workflow import Invalid, Refused

from .. import access, selectors, services
from .. import permissions as perms
from ..forms import (
    ApplicantStep,
    AssignForm,
    ConsultationForm,
    HardshipStep,
    MatterStep,
    ProgressForm,
    WalkInForm,
)
from ..models import State
from ..workflows import LEGAL_AID
from .common import apply_errors, hotline_required, readable, staff_required


def _staff_step(action: str):
    """A step the staff take on their page: one with a form and not the applicant's own (the
    applicant's steps have their forms on the application's page)."""
    step = LEGAL_AID.step(action)
    if step is None or step.form is None or step.who is access.is_applicant:
        return None
    return step


def _form(step, app, data=None):
    if step.form is AssignForm:
        return AssignForm(data, centre=app.competent_centre)
    return step.form(data)


SEARCH_SESSION_KEY = "legal_aid_worklist_search"


def _filters(source) -> tuple[str, bool]:
    state = source.get("state", "")
    if state and state != "all" and state not in State.values:
        state = ""
    return state, source.get("overdue") == "1"


def _filter_query(state: str, overdue: bool) -> str:
    return urlencode(
        {k: v for k, v in {"state": state, "overdue": "1" if overdue else ""}.items() if v}
    )


@staff_required
def worklist(request: HttpRequest) -> HttpResponse:
    """The centre's applications. The search (a reference or an applicant's name) is posted and
    kept in the session, so no name ever appears in a URL (nor in the server's access logs,
    the browser's history or a Referer header); state and overdue stay in the query string."""
    if request.method == "POST":
        state, overdue = _filters(request.POST)
        q = "" if "clear" in request.POST else request.POST.get("q", "").strip()[:40]
        if q:
            request.session[SEARCH_SESSION_KEY] = q
        else:
            request.session.pop(SEARCH_SESSION_KEY, None)
        query = _filter_query(state, overdue)
        return redirect(reverse("legal_aid:worklist") + (f"?{query}" if query else ""))
    state, overdue = _filters(request.GET)
    if "q" in request.GET:
        # an old bookmark or a hand-made URL: never search by what the URL carries
        query = _filter_query(state, overdue)
        return redirect(reverse("legal_aid:worklist") + (f"?{query}" if query else ""))
    q = request.session.get(SEARCH_SESSION_KEY, "")
    key = selectors.worklist_page_key(request.user, q=q)
    version = key.version if key else None
    return private_page(request, key, lambda: _worklist_page(request, state, overdue, q, version))


def _worklist_page(
    request: HttpRequest, state: str, overdue: bool, q: str, version: int | None
) -> HttpResponse:
    page = selectors.worklist_page(
        request.user,
        state=state,
        overdue=overdue,
        q=q,
        number=request.GET.get("page"),
        version=version,
    )
    rows = [{"app": app, "masked_id": mask_identifier(app.resident_id, 6, 4)} for app in page]
    return render(
        request,
        "legal_aid/staff/worklist.html",
        {
            "page_obj": page,
            "rows": rows,
            "states": State.choices,
            "state": state,
            "overdue": overdue,
            "q": q,
            "query": _filter_query(state, overdue),
            "membership": perms.membership(request.user),
            "can_record_walk_in": perms.can_record_walk_in(request.user),
        },
    )


WALK_IN_SECTIONS = [
    ("applicant", _("Applicant"), list(ApplicantStep.base_fields)),
    ("matter", _("Matter"), [n for n in MatterStep.base_fields if n != "accepting_centre"]),
    ("hardship", _("Hardship and commitment"), list(HardshipStep.base_fields)),
]


def _walk_in_token(request: HttpRequest) -> str:
    """The form's submission token: a new one for each form shown, the posted one again when a
    refused form is shown for correction. Each walk-in form is one person at the counter, so
    two tabs are two applications, but one form posted twice (a double click, the back button,
    a retry) is one; nothing is kept in the session, so the page costs no write."""
    posted = request.POST.get(idempotency.FIELD, "") if request.method == "POST" else ""
    if posted and len(posted) <= idempotency.MAX_TOKEN and posted.isprintable():
        return posted
    return secrets.token_urlsafe(16)


@staff_required
def walk_in(request: HttpRequest) -> HttpResponse:
    """Type in the application of a person at the counter; the staff member's own centre
    accepts it and the routing service sends it on to the competent centre."""
    if not perms.can_record_walk_in(request.user):
        raise PermissionDenied
    membership = perms.membership(request.user)
    purpose = services.WALK_IN_PURPOSE
    form = WalkInForm(request.POST or None)
    if request.method == "POST":
        # this form posted again (a double click, the back button, a second tab): its
        # application, never a second one
        key = idempotency.posted_key(request, purpose)
        earlier = services.submitted_from(key)
        if earlier is not None:
            return redirect("legal_aid:staff_application", reference=earlier.reference)
    if request.method == "POST" and form.is_valid():
        data = services.ApplicationInput.from_cleaned(form.cleaned_data)
        try:
            app = services.record_walk_in(data, staff=request.user, submission_key=key)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                gettext("Application %(ref)s recorded at %(here)s; competent centre: %(centre)s.")
                % {
                    "ref": app.reference,
                    "here": membership.centre.name,
                    "centre": app.competent_centre.name,
                },
            )
            return redirect("legal_aid:staff_application", reference=app.reference)
    sections = [
        (key, label, [form[name] for name in names]) for key, label, names in WALK_IN_SECTIONS
    ]
    return render(
        request,
        "legal_aid/staff/walk_in.html",
        {
            "form": form,
            "sections": sections,
            "membership": membership,
            "submission_token": _walk_in_token(request),
        },
        status=400 if form.errors else 200,
    )


@staff_required
def application(request: HttpRequest, reference: str) -> HttpResponse:
    app = readable(request, reference)
    services.log_access(app, request.user)
    steps = [_staff_step(name) for name in selectors.available_actions(app, request.user)]
    return render(
        request,
        "legal_aid/staff/application.html",
        {
            "app": app,
            "actions": [(step.name, step.label) for step in steps if step is not None],
            "events": selectors.timeline(app),
            "notes": app.progress_notes.select_related("author"),
            "evidence": app.evidence.all(),
            "documents": selectors.available_documents(app),
            "routing_reason": selectors.routing_reason(app),
            "hardship": services.hardship_explanation(app),
            "progress_form": ProgressForm()
            if selectors.can_add_progress_note(app, request.user)
            else None,
        },
    )


@staff_required
def act(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    step = _staff_step(action)
    if step is None:
        raise Http404
    app = readable(request, reference)
    title = step.label
    if request.method == "POST":
        form = _form(step, app, request.POST)
        if form.is_valid():
            try:
                services.take(reference, action, request.user, **form.cleaned_data)
            except Invalid as error:
                apply_errors(form, ValidationError(error.errors))
            except Refused as error:
                messages.error(request, error.message)
                return redirect("legal_aid:staff_application", reference=reference)
            else:
                messages.success(request, gettext("Done: %(step)s.") % {"step": title})
                return redirect("legal_aid:staff_application", reference=reference)
        status = 400
    else:
        if action not in selectors.available_actions(app, request.user):
            messages.error(request, gettext("This step is not possible now."))
            return redirect("legal_aid:staff_application", reference=reference)
        form = _form(step, app)
        status = 200
    return render(
        request,
        "legal_aid/staff/action.html",
        {"app": app, "form": form, "action": action, "title": title},
        status=status,
    )


@staff_required
def progress(request: HttpRequest, reference: str) -> HttpResponse:
    app = readable(request, reference)
    if request.method != "POST":
        return redirect("legal_aid:staff_application", reference=reference)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.add_progress_note(reference, request.user, form.cleaned_data["text"])
        except Refused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, gettext("Progress note added; the applicant can see it."))
    else:
        messages.error(request, gettext("Write what happened."))
    return redirect("legal_aid:staff_application", reference=app.reference)


@hotline_required
def consultations(request: HttpRequest) -> HttpResponse:
    form = ConsultationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.record_consultation(
                handled_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, gettext("Consultation %(ref)s recorded.") % {"ref": consultation.reference}
            )
            return redirect("legal_aid:consultations")
    page = Paginator(selectors.consultations_for_staff(request.user), 25).get_page(
        request.GET.get("page")
    )
    rows = [{"c": c, "masked_phone": mask_identifier(c.caller_phone)} for c in page]
    return render(
        request,
        "legal_aid/staff/consultations.html",
        {"form": form, "page_obj": page, "rows": rows},
        status=400 if form.errors else 200,
    )
