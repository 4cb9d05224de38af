"""The case workflow's steps as services: the conditions, effects and notices its table
(:mod:`approvals.workflows`) names, and :func:`transition`, the one way to take a step."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from portal.catalogue.forms import local_name
from portal.languages import in_each_language
from portal.workdays import add_working_days, working_days_between
from portal.workflow import Context, NotNow, run

from .. import permissions as perms
from .. import selectors
from ..models import Case, HandOff, Status
from ..signals import case_approved, case_handed_over

CASE_WORKFLOW = "case"
DEFAULT_MATERIALS_DAYS = 5  # working days to supply missing materials, when not given
# Steps that look at the required materials (see selectors.unanswered_materials).
MATERIALS_CHECKED = ("accept", "accept_with_missing_materials", "supply_materials")


def transition(case_id: int, action: str, *, user: Any = None, note: str = "", **data) -> Case:
    """Take the step ``action`` of the case workflow (row locked, re-checked, logged; notices
    after commit). ``user=None`` is the system. Raises :class:`portal.workflow.Refused`."""
    return run(CASE_WORKFLOW, case_id, action, user=user, note=note, **data)


# ----- conditions ----------------------------------------------------------------------------


def materials_to_follow_allowed(case: Case, data: dict) -> str | None:
    if case.item.missing_materials_allowed:
        return None
    return _("“%(item)s” cannot be accepted with materials to follow.") % {"item": case.item.name}


def needs_hand_off(case: Case, data: dict) -> str | None:
    if case.needs_hand_off:
        return None
    return _("Case %(reference)s is handled where it was accepted: start the review.") % {
        "reference": case.reference
    }


def handled_here(case: Case, data: dict) -> str | None:
    if not case.needs_hand_off:
        return None
    return _("Case %(reference)s must first be forwarded to the competent department.") % {
        "reference": case.reference
    }


# ----- effects (inside the step's transaction, before the new status is saved) ---------------


def _start_clock(case: Case, today: datetime.date) -> None:
    case.accepted_on = today
    case.due_on = add_working_days(today, case.item.promised_limit_days)


def _reasons(case: Case, ctx: Context) -> str:
    reasons = (ctx.data.get("reasons") or ctx.note or "").strip()
    if not reasons:
        raise ctx.invalid("reasons", _("Give the reasons."))
    ctx.note = ctx.note or reasons
    return reasons


def _missing(case: Case, step: str) -> list[str]:
    """Plain acceptance and "materials supplied" need every required material (else refused,
    naming them); acceptance with materials to follow needs at least one missing."""
    missing = [material.name for material in selectors.missing_materials(case)]
    if step == "accept_with_missing_materials":
        if not missing:
            raise NotNow(
                _("Every required material of case %(reference)s has been supplied: accept it.")
                % {"reference": case.reference},
                "nothing_missing",
                step=step,
            )
        return missing
    if missing:
        names = "、".join(missing)
        if step == "accept":
            message = _(
                "Case %(reference)s cannot be accepted: these required materials have not been "
                "supplied: %(materials)s."
            ) % {"reference": case.reference, "materials": names}
            if case.item.missing_materials_allowed:
                message += " " + _("You may accept it with materials to follow instead.")
        else:
            message = _("These required materials have not been supplied yet: %(materials)s.") % {
                "materials": names
            }
        raise NotNow(message, "materials_missing", step=step, extra={"missing_materials": missing})
    return missing


def accept(case: Case, ctx: Context) -> None:
    _missing(case, "accept")
    _start_clock(case, ctx.today)


def _materials_due_on(ctx: Context) -> datetime.date:
    due = ctx.data.get("materials_due_on")
    if not due:
        return add_working_days(ctx.today, DEFAULT_MATERIALS_DAYS)
    if not isinstance(due, datetime.date):
        try:
            due = datetime.date.fromisoformat(str(due))
        except (TypeError, ValueError):
            raise ctx.invalid("materials_due_on", _("Enter a valid date.")) from None
    if due <= ctx.today:
        raise ctx.invalid(
            "materials_due_on", _("The date to supply the materials must be in the future.")
        )
    return due


def accept_with_missing_materials(case: Case, ctx: Context) -> None:
    due = _materials_due_on(ctx)
    missing = _missing(case, "accept_with_missing_materials")
    _start_clock(case, ctx.today)
    case.materials_due_on = due
    case.missing_materials = missing
    typed = ctx.note

    def noted() -> str:
        record = _("Accepted without: %(materials)s; to be supplied by %(date)s.") % {
            "materials": "、".join(missing),
            "date": due.isoformat(),
        }
        return f"{typed}\n{record}" if typed else record

    ctx.note = in_each_language(noted)
    ctx.log_data["materials_due_on"] = due.isoformat()


def supply_materials(case: Case, ctx: Context) -> None:
    _missing(case, "supply_materials")
    case.materials_due_on = None
    case.materials_overdue_on = None


def refuse(case: Case, ctx: Context) -> None:
    case.reasons = _reasons(case, ctx)
    case.closed_at = ctx.now


def return_for_correction(case: Case, ctx: Context) -> None:
    case.reasons = _reasons(case, ctx)
    case.returned_from = case.status
    if case.status == Status.UNDER_REVIEW:
        case.paused_on = ctx.today


def resubmit(case: Case, ctx: Context) -> str:
    """Back to where it was returned from; a paused clock moves the deadline on."""
    back_to = case.returned_from or Status.SUBMITTED
    if case.paused_on and case.due_on:
        paused = working_days_between(case.paused_on, ctx.today)
        case.paused_days += paused
        case.due_on = add_working_days(case.due_on, paused)
    case.paused_on = None
    case.returned_from = ""
    return back_to


def hand_off(case: Case, ctx: Context) -> None:
    """Proxy handling (帮办代办): the hand-off record."""
    HandOff.objects.create(
        case=case,
        from_point=case.accepting_point,
        to_department=case.department,
        sent_by=ctx.user,
        sent_at=ctx.now,
        note=ctx.note,
    )


def receive(case: Case, ctx: Context) -> None:
    HandOff.objects.filter(case=case, received_at__isnull=True).update(
        received_by=ctx.user, received_at=ctx.now
    )


def approve(case: Case, ctx: Context) -> None:
    case.decided_at = ctx.now
    case.reasons = ""
    case.overdue = False


def reject(case: Case, ctx: Context) -> None:
    case.reasons = _reasons(case, ctx)
    case.decided_at = ctx.now
    case.overdue = False


def issue_result(case: Case, ctx: Context) -> None:
    case.overdue = False


def hand_over(case: Case, ctx: Context) -> None:
    """Staff hand over in person a result the courier was to bring: the reason is required and
    goes to the log (e.g. the holder came to the service hall)."""
    reason = (ctx.data.get("reasons") or "").strip()
    if not reason:
        raise ctx.invalid("reasons", _("Say why the result is handed over in person."))
    ctx.note = reason if not ctx.note else f"{reason} — {ctx.note}"


def close(case: Case, ctx: Context) -> None:
    case.closed_at = ctx.now


def withdraw(case: Case, ctx: Context) -> None:
    case.closed_at = ctx.now
    case.overdue = False
    case.materials_overdue_on = None


# ----- notices (after commit) ----------------------------------------------------------------


def result_key(case_id: int) -> str:
    """The event key of a case's result: told once, by whichever notice comes first (a
    proactive case's certificate notice says it with the certificate's number and link)."""
    return f"case-{case_id}-result"


def notify_applicant(case: Case, log) -> None:
    """Tell the applicant what happened (idempotent: keyed by the log entry; the result by
    :func:`result_key`)."""
    from portal.notifications.models import Action
    from portal.notifications.services import send_bulk, to_person

    found = Case.objects.select_related("applicant_user", "item").filter(pk=case.pk).first()
    if found is None:
        return
    case = found

    def compose() -> tuple[str, str]:
        subject = _("Case %(reference)s: %(status)s") % {
            "reference": case.reference,
            "status": log.target_label,
        }
        body = _("Your application for “%(item)s” is now: %(status)s.") % {
            "item": local_name(case.item),
            "status": log.target_label,
        }
        if case.reasons and log.target in (
            Status.REFUSED,
            Status.REJECTED,
            Status.RETURNED_FOR_CORRECTION,
        ):
            body += " " + _("Reasons: %(reasons)s") % {"reasons": case.reasons}
        return subject, body

    subject, body = in_each_language(compose)
    send_bulk(
        to_person(
            user=case.applicant_user,
            mobile=case.applicant_mobile,
            subject=subject,
            body=body,
            link=case.get_absolute_url(),
            key=result_key(case.pk) if log.step == "issue_result" else f"case-log-{log.pk}",
            action=Action.VIEW_CASE,
        )
    )


def notify_department(case: Case, log) -> None:
    """A case handed off to the competent department: its staff find it in their inbox."""
    from django.contrib.auth import get_user_model

    from portal.notifications.models import Action
    from portal.notifications.services import send_bulk, to_staff

    case = Case.objects.select_related("item", "accepting_point").get(pk=case.pk)
    staff = get_user_model().objects.filter(
        role=perms.DEPARTMENT_STAFF_ROLE, department_id=case.department_id, is_active=True
    )

    def compose() -> tuple[str, str]:
        subject = _("Case %(reference)s handed over by %(point)s") % {
            "reference": case.reference,
            "point": local_name(case.accepting_point),
        }
        body = _("“%(item)s” for %(applicant)s was accepted at %(point)s; receive it to start.") % {
            "item": local_name(case.item),
            "applicant": case.applicant_name,
            "point": local_name(case.accepting_point),
        }
        return subject, body

    subject, body = in_each_language(compose)
    send_bulk(
        to_staff(
            staff,
            subject=subject,
            body=body,
            link=case.get_absolute_url(),
            key=f"case-log-{log.pk}",
            action=Action.VIEW_CASE,
        )
    )


def announce_hand_over(case: Case, log) -> None:
    """:data:`approvals.signals.case_handed_over`, for whoever carries the result."""
    case_handed_over.send(Case, case=case)


def announce_approval(case: Case, log) -> None:
    """:data:`approvals.signals.case_approved`, for whoever waits on an approval."""
    case_approved.send(Case, case=case)
