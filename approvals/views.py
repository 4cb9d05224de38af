"""Case pages (thin: forms in, services and selectors out)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import idempotency, uploads
from portal.catalogue.models import Material, ServiceItem
from portal.files import private_file_response
from portal.pdf import pdf_response
from portal.privatepage import private_page
from portal.signing.selectors import current_codes
from portal.signing.services import SigningFailed
from portal.workflow import Refused

from . import blank_forms, documents, selectors, services
from . import permissions as perms
from .forms import (
    AddMaterialForm,
    CaseApplicationForm,
    StaffFilterForm,
    TransitionForm,
    WalkInItemForm,
)
from .models import Case, Channel, Status
from .panels import case_panels
from .workflows import CASE

# States in which the page names the required materials still missing (before acceptance, and
# while they are to follow).
MATERIALS_CHECKED = (Status.SUBMITTED, Status.ACCEPTED_WITH_MISSING_MATERIALS)
DECIDED = (Status.APPROVED, Status.REJECTED, Status.RESULT_ISSUED, Status.DELIVERED, Status.CLOSED)
PAGE_SIZE = 20
# The codes of portal.uploads.check_upload's refusals: about the file chosen.
FILE_ERRORS = ("file_type", "file_empty", "too_large")


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
        if case.status == Status.APPROVED and (case.smart_assessment or {}).get("passed"):
            messages.success(
                request, _("It met every smart-approval condition: the system has approved it.")
            )
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
    initial = {
        "applicant_name": request.user.real_name,
        "applicant_id_number": request.user.resident_id,
        "applicant_mobile": request.user.mobile or "",
    }
    purpose = f"case:{item.code}"
    posted = request.method == "POST"
    form = CaseApplicationForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        item=item,
        initial=initial,
        kept=uploads.kept_uploads(request, purpose),
    )
    if posted and form.is_valid():
        try:
            case = services.submit_case(
                item=item,
                **form.case_input(),
                applicant_user=request.user,
                channel=Channel.ONLINE,
                by=request.user,
                submission_key=idempotency.posted_key(request, purpose),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            uploads.discard_uploads(request, purpose)
            return _submitted(
                request,
                case,
                purpose,
                _("Your application has been submitted. Its reference is %(reference)s."),
            )
    if posted:
        # Sent back with errors: the files that passed their checks are kept for the next try.
        uploads.keep_uploads(request, purpose, form)
        form = form.with_kept(uploads.kept_uploads(request, purpose))
    applicant = form.data if posted else initial
    acceptance = selectors.online_acceptance_point(
        item,
        applicant.get("applicant_kind") or "person",
        applicant.get("applicant_id_number") or "",
    )
    return render(
        request,
        "approvals/apply.html",
        {
            "item": item,
            "form": form,
            "acceptance": acceptance,
            "submission_token": idempotency.form_token(request, purpose),
        },
    )


def blank_form(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The blank form of one of an item's materials, made from the catalogue (anyone may
    download it: it holds nothing personal)."""
    material = get_object_or_404(
        Material.objects.select_related("item", "item__department"),
        pk=pk,
        item__code=code,
        item__is_active=True,
    )
    form = blank_forms.blank_form(material)
    if form is None:
        raise Http404
    with translation.override("zh-hans"):
        return pdf_response(
            "approvals/pdf/blank_form.html",
            blank_forms.context(material.item, material, form),
            f"{material.item.code}-{form.title}.pdf",
            request=request,
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
    return _case_page(request, _visible_case(request, reference))


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    failed_action: str = "",
    action_form: TransitionForm | None = None,
    material_form: AddMaterialForm | None = None,
    rating_form=None,
) -> HttpResponse:
    """The case page; after a failed post, again with the form that failed (its errors beside
    its fields and in the error summary at the top, GOV.UK pattern, ADR 0103)."""
    actions = selectors.available_actions(case, request.user)
    action_forms = [
        (
            action,
            action_form
            if action["name"] == failed_action and action_form is not None
            else TransitionForm(action=action),
        )
        for action in actions
    ]
    context = {
        "case": case,
        "actions": actions,
        "action_forms": action_forms,
        "failed_form": action_form or material_form or rating_form,
        "timeline": list(case.transitions.all()),
        "hand_offs": list(case.hand_offs.all()),
        "materials": list(case.materials.all()),
        "accepted_without": selectors.accepted_without(case),
        "has_notice": case.accepted_on is not None,
        "has_decision": case.status in DECIDED,
        "decision_is_licensing": selectors.decision_is_licensing(case),
        # each sealed document's verification code, once it has been issued (first download)
        "document_codes": current_codes(case.reference, ["acceptance_notice", "decision"]),
        "is_applicant": perms.applicant(request.user, case),
        "case_panels": case_panels(),
    }
    if selectors.can_add_material(case, request.user):
        context["material_form"] = material_form or AddMaterialForm(item=case.item)
    if case.status in MATERIALS_CHECKED:
        context["still_missing"] = selectors.missing_materials(case)
    context.update(_rating_context(case, request))
    if rating_form is not None and context.get("rating_form") is not None:
        context["rating_form"] = rating_form
    return render(request, "approvals/case_detail.html", context)


@login_required
@require_POST
def case_action(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    case = _visible_case(request, reference)
    step = CASE.step(action)
    if step is None:
        raise Http404
    available = {a["name"]: a for a in selectors.available_actions(case, request.user)}
    described = available.get(action, {"name": action, "label": step.label, "needs": step.inputs})
    form = TransitionForm(request.POST, action=described)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "") and k != "note"}
        try:
            case = services.transition(
                case.pk, action, user=request.user, note=form.cleaned_data.get("note", ""), **data
            )
        except Refused as exc:
            if action not in available:
                # the step is not on the page (another user moved the case on): say so above it
                messages.error(request, exc.message)
                return redirect(case.get_absolute_url())
            form.refused(exc)
        else:
            messages.success(request, _done_message(step, case))
            return redirect(case.get_absolute_url())
    return _case_page(request, case, failed_action=action, action_form=form)


def _done_message(step, case) -> str:
    """What the step did, in the case's words: the status it reached unless the step's label
    already says it ("准予许可 → 准予许可"), and what followed at once (a proactive approval
    issues the new certificate after commit: "准予许可" alone hid it; issue 14 point 10)."""
    now = selectors.case_status(case.pk)
    label = dict(Status.choices).get(now, now)
    if now == Status.RESULT_ISSUED and case.status == Status.APPROVED:
        return _(
            "Done: %(action)s. The new certificate was issued at the same time; the case is now "
            "“%(status)s”."
        ) % {
            "action": step.label,
            "status": label,
        }
    if str(step.label) == str(label):
        return _("Done: %(action)s.") % {"action": step.label}
    return _("Done: %(action)s. The case is now “%(status)s”.") % {
        "action": step.label,
        "status": label,
    }


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
            # the file's own checks beside the file input; the case's state (or the user's
            # right) as the form's error
            field = (
                "file"
                if exc.code in FILE_ERRORS
                else "material"
                if exc.code == "material"
                else None
            )
            form.add_error(field, exc)
        else:
            messages.success(request, _("The material has been added."))
            return redirect(case.get_absolute_url())
    return _case_page(request, case, material_form=form)


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
            form.add_error(None, exc)
        else:
            messages.success(request, _("Thank you for rating this case."))
            return redirect(case.get_absolute_url())
    return _case_page(request, case, rating_form=form)


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
def material_file(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    case = _visible_case(request, reference)
    material = next((m for m in case.materials.all() if m.pk == pk and m.file), None)
    if material is None:
        raise Http404
    return private_file_response(
        material.file,
        filename=material.original_name or material.file.name.rsplit("/", 1)[-1],
        content_type=material.content_type,
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
    key = selectors.staff_worklist_key(department_id=department_id, point_id=point_id)
    return private_page(request, key, lambda: _staff_cases_page(request, department_id, point_id))


def _staff_cases_page(
    request: HttpRequest, department_id: int | None, point_id: int | None
) -> HttpResponse:
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
    page = selectors.staff_cases_page(
        request.user,
        scope=scope,
        status=status,
        overdue_only=bool(filters.get("overdue")),
        materials_overdue_only=bool(filters.get("materials_overdue")),
        search=filters.get("q") or "",
        number=request.GET.get("page"),
    )
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
    form = CaseApplicationForm(request.POST or None, item=item, counter=True)
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
