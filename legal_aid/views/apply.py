"""The application, step by step: applicant → matter → hardship or exemption and the
commitment → evidence → review and submit. Answers are kept in an ApplicationDraft between
steps; a refused upload loses nothing else."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.workflow import Refused

from .. import selectors, services
from ..forms import STEP_FORMS, EvidenceForm, to_json
from ..models import (
    ApplicationDraft,
    Category,
    Consultation,
    Evidence,
    Exemption,
    MatterType,
    Urgency,
)
from .common import apply_errors

STEPS = [
    (1, _("Applicant")),
    (2, _("Matter")),
    (3, _("Hardship and commitment")),
    (4, _("Evidence")),
    (5, _("Review and submit")),
]
LAST = 5


def _draft(request: HttpRequest) -> ApplicationDraft:
    draft = services.draft_for(request.user, request.session.get("legal_aid_draft"))
    request.session["legal_aid_draft"] = draft.pk
    return draft


def _bound_steps(draft: ApplicationDraft) -> dict[int, object]:
    return {step: form_class(data=draft.data) for step, form_class in STEP_FORMS.items()}


def _submitted_draft(request: HttpRequest):
    """The application already made from the draft this review form showed, if any."""
    draft_id = request.POST.get("draft", "")
    if not draft_id.isdigit():
        return None
    return services.submitted_from(services.draft_submission_key(request.user.pk, draft_id))


@login_required
def start(request: HttpRequest) -> HttpResponse:
    draft = _draft(request)
    return redirect("legal_aid:apply_step", step=min(draft.step, LAST))


@login_required
def step(request: HttpRequest, step: int) -> HttpResponse:
    if step < 1 or step > LAST:
        raise Http404
    if step == LAST and request.method == "POST":
        # the same draft submitted again (a double click, a second tab, a retry): its
        # application, never another one
        earlier = _submitted_draft(request)
        if earlier is not None:
            return redirect("legal_aid:application", reference=earlier.reference)
    draft = _draft(request)
    if step > draft.step:
        messages.info(request, gettext("Please finish this step first."))
        return redirect("legal_aid:apply_step", step=draft.step)
    context = {"draft": draft, "steps": STEPS, "step": step, "step_label": STEPS[step - 1][1]}
    if step in STEP_FORMS:
        return _answers_step(request, draft, step, context)
    if step == 4:
        return _evidence_step(request, draft, context)
    return _review_step(request, draft, context)


def _answers_step(request: HttpRequest, draft, step: int, context: dict) -> HttpResponse:
    """Steps 1–3: a form of answers, kept in the draft."""
    form_class = STEP_FORMS[step]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            services.save_draft_step(draft, step, to_json(form.cleaned_data))
            return redirect("legal_aid:apply_step", step=step + 1)
    else:
        initial = dict(draft.data)
        if step == 1 and not initial:
            initial = {
                "applicant_name": request.user.real_name,
                "phone": request.user.mobile or "",
                "resident_id": request.user.resident_id,
            }
        form = form_class(initial=initial)
    context["form"] = form
    return render(request, "legal_aid/apply/step.html", context)


def _evidence_step(request: HttpRequest, draft, context: dict) -> HttpResponse:
    """Step 4: files (optional)."""
    form = EvidenceForm()
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.add_evidence(
                    upload=form.cleaned_data["file"],
                    description=form.cleaned_data["description"],
                    user=request.user,
                    draft=draft,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                services.save_draft_step(draft, 4, {})
                messages.success(request, gettext("File uploaded."))
                return redirect("legal_aid:apply_step", step=4)
    context["form"] = form
    context["evidence"] = draft.evidence.all()
    if draft.step < LAST:
        services.save_draft_step(draft, 4, {})  # uploads are optional: step 5 is open
    return render(
        request, "legal_aid/apply/evidence.html", context, status=400 if form.errors else 200
    )


def _review_step(request: HttpRequest, draft, context: dict) -> HttpResponse:
    """Step 5: the answers again, the competent centre, and submit."""
    forms = _bound_steps(draft)
    for number, form in forms.items():
        if not form.is_valid():
            messages.error(
                request, gettext("Some answers are missing or wrong: please check them.")
            )
            return redirect("legal_aid:apply_step", step=number)
    cleaned = {k: v for form in forms.values() for k, v in form.cleaned_data.items()}
    routing = None
    try:
        routing = selectors.route(
            cleaned["matter_type"], body=cleaned.get("body"), place=cleaned.get("place")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.method == "POST" and routing is not None:
        data = services.ApplicationInput.from_cleaned(cleaned, consultation=draft.consultation)
        try:
            app = services.submit_application(data, user=request.user, draft=draft)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except Refused as error:
            messages.error(request, error.message)
        else:
            request.session.pop("legal_aid_draft", None)
            messages.success(
                request,
                gettext("Application %(ref)s submitted to %(centre)s.")
                % {"ref": app.reference, "centre": app.competent_centre.name},
            )
            return redirect("legal_aid:application", reference=app.reference)
    context.update(
        {
            "cleaned": cleaned,
            "routing": routing,
            "evidence": draft.evidence.all(),
            "matter_label": MatterType(cleaned["matter_type"]).label,
            "category_label": Category(cleaned["category"]).label,
            "exemption_label": Exemption(cleaned["exemption"]).label
            if cleaned.get("exemption")
            else "",
            "urgency_label": Urgency(cleaned["urgency"]).label if cleaned.get("urgency") else "",
        }
    )
    return render(request, "legal_aid/apply/review.html", context)


@login_required
@require_POST
def remove_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence, pk=pk, draft__user=request.user)
    evidence.file.delete(save=False)
    evidence.delete()
    messages.success(request, gettext("File removed."))
    return redirect("legal_aid:apply_step", step=4)


@login_required
def from_consultation(request: HttpRequest, reference: str) -> HttpResponse:
    """Start an application pre-filled from one of the user's own 12348 consultations."""
    consultation = get_object_or_404(Consultation, reference=reference)
    if request.user.mobile != consultation.caller_phone:
        raise Http404
    if request.method == "POST":
        try:
            draft = services.start_draft_from_consultation(request.user, consultation)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("legal_aid:home")
        request.session["legal_aid_draft"] = draft.pk
        messages.success(request, gettext("The application is filled in from your 12348 call."))
        return redirect(reverse("legal_aid:apply_step", args=[1]))
    return render(request, "legal_aid/apply/from_consultation.html", {"consultation": consultation})
