"""The applicant's pages: my applications, one application (timeline, deadlines, documents,
progress, materials request and upload, rating, objection)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal.access import policy_for
from portal.files import private_file_response
from portal.ratings.selectors import rating_for
from portal.workflow import Invalid, Refused

from .. import selectors, services
from ..access import is_applicant
from ..forms import NoteForm, ObjectionForm, RatingForm, SupplyForm
from ..models import Evidence, State
from ..workflows import LEGAL_AID
from .common import apply_errors, readable


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.applications_for_applicant(request.user), 20).get_page(
        request.GET.get("page")
    )
    drafts = request.user.legal_aid_drafts.all()[:1]
    return render(request, "legal_aid/my_applications.html", {"page_obj": page, "drafts": drafts})


def _own(request: HttpRequest, reference: str):
    app = readable(request, reference)
    if not is_applicant(request.user, app):
        raise Http404
    return app


@login_required
def application(request: HttpRequest, reference: str) -> HttpResponse:
    app = readable(request, reference)
    if not is_applicant(request.user, app):
        # staff reading the full record go through the staff page (which logs the access)
        return redirect("legal_aid:staff_application", reference=reference)
    return _render(request, app)


def _redirect_back(app):
    return redirect("legal_aid:application", reference=app.reference)


@login_required
@require_POST
def upload_materials(request: HttpRequest, reference: str) -> HttpResponse:
    app = _own(request, reference)
    form = SupplyForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_requested_material(
                reference,
                user=request.user,
                upload=form.cleaned_data.get("file"),
                description=form.cleaned_data["description"],
            )
        except Invalid as error:
            apply_errors(form, ValidationError(error.errors))
        except Refused as error:
            messages.error(request, error.message)
            return _redirect_back(app)
        else:
            messages.success(
                request, gettext("File uploaded. Send it to the centre when complete.")
            )
            return _redirect_back(app)
    return _rerender(request, app, supply_form=form)


def _rerender(request, app, **forms):
    return _render(request, app, status=400, **forms)


def _render(request, app, status=200, **forms):
    actions = selectors.available_actions(app, request.user)
    context = {
        "app": app,
        "actions": actions,
        "events": selectors.timeline(app),
        "notes": app.progress_notes.all(),
        "evidence": app.evidence.all(),
        "documents": selectors.available_documents(app),
        "routing_reason": selectors.routing_reason(app),
        "hardship": services.hardship_explanation(app),
        "supply_form": SupplyForm() if "supply_materials" in actions else None,
        "objection_form": ObjectionForm() if "lodge_objection" in actions else None,
        "rating_form": RatingForm() if "rate" in actions else None,
        "withdraw_form": NoteForm() if "withdraw" in actions else None,
        "rating": rating_for(app) if app.state == State.RATED else None,
        **forms,
    }
    return render(request, "legal_aid/application.html", context, status=status)


# the applicant's steps (their forms come from the workflow table) and where each form sits on
# the application's page
CITIZEN_ACTIONS = {
    "supply_materials": "supply_form",
    "lodge_objection": "objection_form",
    "rate": "rating_form",
    "withdraw": "withdraw_form",
}


@login_required
@require_POST
def act(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    if action not in CITIZEN_ACTIONS:
        raise Http404
    app = _own(request, reference)
    name = CITIZEN_ACTIONS[action]
    form = LEGAL_AID.step(action).form(request.POST)
    if not form.is_valid():
        return _rerender(request, app, **{name: form})
    try:
        services.take(reference, action, request.user, **form.cleaned_data)
    except Invalid as error:
        apply_errors(form, ValidationError(error.errors))
        return _rerender(request, app, **{name: form})
    except Refused as error:
        messages.error(request, error.message)
        return _redirect_back(app)
    messages.success(request, gettext("Done: the application is updated."))
    return _redirect_back(app)


@login_required
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A file of an application (whoever may read the application) or of the user's own draft;
    404 for anybody else."""
    evidence = get_object_or_404(
        Evidence.objects.select_related(
            "application__competent_centre", "application__accepting_centre", "draft"
        ),
        pk=pk,
    )
    if not policy_for(Evidence).can_view(request.user, evidence):
        raise Http404
    if evidence.application_id:
        services.log_access(evidence.application, request.user, channel="file")
    return private_file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )
