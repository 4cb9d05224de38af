"""Case pages (thin: forms in, services and selectors out)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import idempotency
from portal.catalogue.models import ServiceItem
from portal.signing.selectors import current_codes
from portal.signing.services import SigningFailed
from portal.workflow import Invalid, Refused

from . import documents, selectors, services
from . import permissions as perms
from .forms import (
    AddMaterialForm,
    CaseApplicationForm,
    StaffFilterForm,
    TransitionForm,
    WalkInItemForm,
)
from .models import Case, Channel, PointKind, Status
from .panels import case_panels
from .workflows import CASE

# States in which the page names the required materials still missing (before acceptance, and
# while they are to follow).
MATERIALS_CHECKED = (Status.SUBMITTED, Status.ACCEPTED_WITH_MISSING_MATERIALS)
DECIDED = (Status.APPROVED, Status.REJECTED, Status.RESULT_ISSUED, Status.DELIVERED, Status.CLOSED)
PAGE_SIZE = 20


def _page(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _submitted(request: HttpRequest, case: Case, purpose: str, message: str) -> HttpResponse:
    """After a submission of the form about ``purpose``: the next form gets a new token; a form
    posted again (a second click, another tab) lands on the case the first post made."""
    idempotency.consume(request, purpose)
    if getattr(case, "resubmitted", False):
        messages.info(
            request,
            _(
                "This form was already submitted as %(reference)s; nothing new was recorded. "
                "To make another application, open the form again."
            )
            % {"reference": case.reference},
        )
    else:
        messages.success(request, message % {"reference": case.reference})
    return redirect(case.get_absolute_url())


def _query_without_page(request: HttpRequest) -> str:
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page"])


# ----- citizens ------------------------------------------------------------------------------


@login_required
def my_cases(request: HttpRequest) -> HttpResponse:
    page = _page(request, selectors.cases_for_applicant(request.user))
    department_id, point_id = selectors.staff_scope(request.user)
    return render(
        request,
        "approvals/my_cases.html",
        {
            "page_obj": page,
            "cases": page.object_list,
            "query": _query_without_page(request),
            "is_case_staff": department_id is not None or point_id is not None,
        },
    )


@login_required
def apply(request: HttpRequest, code: str) -> HttpResponse:
    item = get_object_or_404(
        ServiceItem.objects.select_related("department", "department__region"),
        code=code,
        is_active=True,
    )
    if not item.online:
        messages.error(
            request,
            _("“%(item)s” cannot be applied for online. See where it can be done on its page.")
            % {"item": item.name},
        )
        return redirect(item.get_absolute_url())
    points = selectors.acceptable_points(
        item, kinds=(PointKind.ONLINE_PLATFORM, PointKind.SERVICE_HALL)
    )
    initial = {
        "applicant_name": request.user.real_name,
        "applicant_id_number": request.user.resident_id,
        "applicant_mobile": request.user.mobile or "",
    }
    online = next((p for p in points if p.kind == PointKind.ONLINE_PLATFORM), None)
    if online:
        initial["accepting_point"] = online.pk
    form = CaseApplicationForm(
        request.POST or None, request.FILES or None, item=item, points=points, initial=initial
    )
    purpose = f"case:{item.code}"
    if request.method == "POST" and form.is_valid():
        try:
            case = services.submit_case(
                item=item,
                **form.case_input(),
                applicant_user=request.user,
                channel=Channel.ONLINE,
                accepting_point=form.cleaned_data["accepting_point"],
                by=request.user,
                submission_key=idempotency.posted_key(request, purpose),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _submitted(
                request,
                case,
                purpose,
                _("Your application has been submitted. Its reference is %(reference)s."),
            )
    return render(
        request,
        "approvals/apply.html",
        {"item": item, "form": form, "submission_token": idempotency.form_token(request, purpose)},
    )


def _visible_case(request: HttpRequest, reference: str) -> Case:
    case = selectors.visible_case(reference, request.user)
    if case is None:
        raise Http404
    return case


def _rating_context(case: Case, request: HttpRequest) -> dict:
    context: dict = {"rating": None, "rating_form": None}
    if case.status != Status.CLOSED:
        return context
    from portal.ratings.forms import RatingForm
    from portal.ratings.selectors import rating_for

    context["rating"] = rating_for(case)
    if context["rating"] is None and perms.applicant(request.user, case):
        context["rating_form"] = RatingForm()
        context["rating_action"] = case.get_absolute_url() + "rate/"
    return context


@login_required
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _visible_case(request, reference)
    actions = selectors.available_actions(case, request.user)
    context = {
        "case": case,
        "actions": actions,
        "transition_form": TransitionForm(),
        "timeline": list(case.transitions.all()),
        "hand_offs": list(case.hand_offs.all()),
        "materials": list(case.materials.all()),
        "has_notice": case.accepted_on is not None,
        "has_decision": case.status in DECIDED,
        # each sealed document's verification code, once it has been issued (first download)
        "document_codes": current_codes(case.reference, ["acceptance_notice", "decision"]),
        "is_applicant": perms.applicant(request.user, case),
        "case_panels": case_panels(),
    }
    if selectors.can_add_material(case, request.user):
        context["material_form"] = AddMaterialForm(item=case.item)
    if case.status in MATERIALS_CHECKED:
        context["still_missing"] = selectors.missing_materials(case)
    context.update(_rating_context(case, request))
    return render(request, "approvals/case_detail.html", context)


@login_required
@require_POST
def case_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    case = _visible_case(request, reference)
    step = CASE.step(action)
    if step is None:
        raise Http404
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the note and the dates you entered."))
        return redirect(case.get_absolute_url())
    data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "") and k != "note"}
    try:
        case = services.transition(
            case.pk, action, user=request.user, note=form.cleaned_data["note"], **data
        )
    except Refused as exc:
        text = exc.message
        if isinstance(exc, Invalid):
            for errors in exc.errors.values():
                text += " " + " ".join(str(e) for e in errors)
        messages.error(request, text)
    else:
        messages.success(
            request,
            _("Done: %(action)s. The case is now “%(status)s”.")
            % {"action": step.label, "status": case.get_status_display()},
        )
    return redirect(case.get_absolute_url())


@login_required
@require_POST
def add_material(request: HttpRequest, reference: str) -> HttpResponse:
    case = _visible_case(request, reference)
    form = AddMaterialForm(request.POST, request.FILES, item=case.item)
    if form.is_valid():
        try:
            services.add_material(
                case, form.cleaned_data["material"], form.cleaned_data["file"], user=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The material has been added."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(case.get_absolute_url())


@login_required
@require_POST
def rate(request: HttpRequest, reference: str) -> HttpResponse:
    from portal.ratings.forms import RatingForm

    case = _visible_case(request, reference)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate_case(
                case,
                user=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data.get("comment", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Thank you for rating this case."))
    else:
        messages.error(request, _("Choose a score from 1 to 5."))
    return redirect(case.get_absolute_url())


@login_required
def acceptance_notice(request: HttpRequest, reference: str) -> HttpResponse:
    case = _visible_case(request, reference)
    if case.accepted_on is None:
        raise Http404
    try:
        return documents.acceptance_notice_response(case, request)
    except SigningFailed as exc:
        messages.error(request, _("The acceptance notice could not be issued: %s") % exc)
        return redirect(case.get_absolute_url())


@login_required
def decision(request: HttpRequest, reference: str) -> HttpResponse:
    case = _visible_case(request, reference)
    if case.status not in DECIDED:
        raise Http404
    try:
        return documents.decision_response(case, request)
    except SigningFailed as exc:
        messages.error(request, _("The decision could not be issued: %s") % exc)
        return redirect(case.get_absolute_url())


@login_required
def material_file(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    case = _visible_case(request, reference)
    material = next((m for m in case.materials.all() if m.pk == pk and m.file), None)
    if material is None:
        raise Http404
    return FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.original_name or material.file.name.rsplit("/", 1)[-1],
        content_type=material.content_type or "application/octet-stream",
    )


# ----- staff ---------------------------------------------------------------------------------


def _require_staff(request: HttpRequest) -> tuple[int | None, int | None]:
    department_id, point_id = selectors.staff_scope(request.user)
    if department_id is None and point_id is None:
        raise PermissionDenied(_("This page is for department and acceptance-point staff."))
    return department_id, point_id


@login_required
def staff_cases(request: HttpRequest) -> HttpResponse:
    department_id, point_id = _require_staff(request)
    form = StaffFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    scope = filters.get("scope") or selectors.default_staff_scope(
        request.user, department_id=department_id, point_id=point_id
    )
    if not filters.get("scope"):  # show the worklist it opened on
        data = request.GET.copy()
        data["scope"] = scope
        form = StaffFilterForm(data)
        form.is_valid()
    status = filters.get("status") or "open"
    queryset = selectors.staff_cases(
        request.user,
        scope=scope,
        status=status,
        overdue_only=bool(filters.get("overdue")),
        materials_overdue_only=bool(filters.get("materials_overdue")),
        search=filters.get("q") or "",
    )
    page = _page(request, queryset, 25)
    return render(
        request,
        "approvals/staff_cases.html",
        {
            "form": form,
            "page_obj": page,
            "cases": page.object_list,
            "query": _query_without_page(request),
            "scope": scope,
            "can_walk_in": point_id is not None,
        },
    )


@login_required
def walk_in(request: HttpRequest) -> HttpResponse:
    """Point staff record an application made at the counter (two steps: item, then details)."""
    point = services.counter_point(request.user)
    item_form = WalkInItemForm(request.GET or None)
    context: dict = {"item_form": item_form, "point": point}
    if not item_form.is_valid():
        return render(request, "approvals/walk_in.html", context)
    item = item_form.cleaned_data["item"]
    context["item"] = item
    decision = selectors.acceptance_decision(item, point)
    if not decision.allowed:
        context["refusal"] = decision
        return render(request, "approvals/walk_in.html", context)
    form = CaseApplicationForm(request.POST or None, item=item, points=None, counter=True)
    context["form"] = form
    purpose = f"walk_in:{point.pk}:{item.code}"
    if request.method == "POST" and form.is_valid():
        try:
            case = services.submit_case(
                item=item,
                **form.case_input(),
                channel=Channel.SERVICE_HALL,
                accepting_point=point,
                by=request.user,
                submission_key=idempotency.posted_key(request, purpose),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            return _submitted(
                request, case, purpose, _("Walk-in application recorded as %(reference)s.")
            )
    context["submission_token"] = idempotency.form_token(request, purpose)
    return render(request, "approvals/walk_in.html", context)
