"""The steps of the application's workflow: the conditions (with their refusal texts), the
effects run inside :func:`portal.workflow.run`'s transaction and the notices sent after commit,
that the table in legal_aid/workflows.py names. Pages, the API and tests take a step with
:func:`take`."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import workflow
from portal.catalogue.forms import local_name
from portal.languages import in_each_language
from portal.workflow import Context, Invalid, NotFound, NotNow

from .. import deadlines
from ..models import (
    Decision,
    HardshipResult,
    Lawyer,
    LegalAidApplication,
    ObjectionDecision,
    Outcome,
    State,
)
from .notices import Tell

WORKFLOW = "legal_aid"


def take(app_or_reference: Any, step: str, user: Any, *, note: str = "", **data: Any):
    """Take ``step`` on the application (an instance or its reference) as ``user`` (None: the
    system); returns the application in its new state. Raises :class:`portal.workflow.Refused`."""
    app = workflow.run(WORKFLOW, app_or_reference, step, user=user, note=note, **data)
    if step in OFFERED_AFTER and app.state == State.GRANTED:
        from .allocation import offer_if_rota

        app = offer_if_rota(app)
    return app


# the steps after which a granted case is offered to the next lawyer of the centre's rota
OFFERED_AFTER = {"grant", "grant_first"}


def locked(reference: str) -> LegalAidApplication:
    """The application's row, locked for the rest of the transaction (outside the steps)."""
    qs = LegalAidApplication.objects.select_related("competent_centre", "lawyer", "applicant")
    if connection.features.has_select_for_update_of:
        qs = qs.select_for_update(of=("self",))
    else:
        qs = qs.select_for_update()
    app = qs.filter(reference=reference).first()
    if app is None:
        raise NotFound(gettext("There is no such application."))
    return app


# --- conditions: None when the step may be taken, else why not ------------------------------


def handed_in_elsewhere(app: LegalAidApplication, data: dict) -> str | None:
    if app.accepting_centre_id and app.accepting_centre_id != app.competent_centre_id:
        return None
    return gettext("The application is already at the competent centre.")


def not_yet_requested(app: LegalAidApplication, data: dict) -> str | None:
    if app.materials_requested_at is None:
        return None
    return gettext(
        "Materials can be requested only once; this application already had its request."
    )


def materials_overdue(app: LegalAidApplication, data: dict) -> str | None:
    if app.materials_due is not None and app.materials_due < timezone.localdate():
        return None
    return gettext("The deadline for the materials has not passed yet.")


def _overturned(app: LegalAidApplication, objected_state: str) -> bool:
    """The bureau ordered the centre to correct its decision ``objected_state``."""
    return (
        app.objection_decision == ObjectionDecision.OVERTURNED
        and app.objected_state == objected_state
    )


def may_grant(app: LegalAidApplication, data: dict) -> str | None:
    if app.state != State.UNDER_REVIEW and not _overturned(app, State.REFUSED):
        return gettext("Aid can be granted now only after the bureau overturned a refusal.")
    if app.hardship_result == HardshipResult.EXCEEDS and not _overturned(app, State.REFUSED):
        return gettext(
            "The declared income of %(income)s yuan per person a month is above the hardship "
            "standard of %(threshold)s yuan in force on the application date, so aid cannot be "
            "granted on economic hardship."
        ) % {"income": app.income_per_person, "threshold": app.hardship_threshold}
    return None


def urgent(app: LegalAidApplication, data: dict) -> str | None:
    if app.urgency:
        return None
    return gettext("Only an urgent application can be granted before the review.")


def review_pending(app: LegalAidApplication, data: dict) -> str | None:
    if app.aid_first and app.review_completed_at is None:
        return None
    return gettext("There is no review left to complete.")


def may_assign(app: LegalAidApplication, data: dict) -> str | None:
    if app.state == State.GRANTED or _overturned(app, State.TERMINATED):
        return None
    return gettext("A lawyer can be assigned only once aid is granted.")


# --- effects: inside the step's transaction, before the new state is saved --------------------


def _required(ctx: Context, name: str, message: str) -> Any:
    value = ctx.data.get(name)
    if (value.strip() if isinstance(value, str) else value) in (None, "", [], ()):
        raise ctx.invalid(name, message)
    return value


def forward(app: LegalAidApplication, ctx: Context) -> None:
    ctx.note = ctx.note or in_each_language(
        lambda: (
            gettext("Forwarded to the competent centre %(to)s.")
            % {"to": local_name(app.competent_centre)}
        )
    )


def request_materials(app: LegalAidApplication, ctx: Context) -> None:
    items = [i.strip() for i in (ctx.data.get("items") or []) if i and i.strip()]
    if not items:
        raise ctx.invalid("items", gettext("List every material that is missing, one per line."))
    days = ctx.data.get("days") or deadlines.MATERIALS_DAYS_DEFAULT
    if not deadlines.MATERIALS_DAYS_MIN <= days <= deadlines.MATERIALS_DAYS_MAX:
        raise ctx.invalid(
            "days",
            gettext("Give the applicant between %(min)s and %(max)s days.")
            % {"min": deadlines.MATERIALS_DAYS_MIN, "max": deadlines.MATERIALS_DAYS_MAX},
        )
    app.materials_request = "\n".join(items)
    app.materials_requested_at = ctx.now
    app.materials_due = deadlines.materials_due(ctx.now, days)
    listed = "; ".join(items)
    ctx.note = ctx.note or in_each_language(
        lambda: gettext("Materials requested (all at once): %(items)s") % {"items": listed}
    )


def supply_materials(app: LegalAidApplication, ctx: Context) -> None:
    if not app.evidence.filter(for_materials_request=True).exists() and not ctx.note.strip():
        raise ctx.invalid(
            "files", gettext("Upload the requested materials or explain why you cannot.")
        )
    app.materials_supplied_at = ctx.now
    paused_from = timezone.localtime(app.materials_requested_at).date()
    app.decision_due = deadlines.extend_for_pause(app.decision_due, paused_from, ctx.today)
    ctx.note = ctx.note or in_each_language(lambda: gettext("Materials supplied."))


def lapse(app: LegalAidApplication, ctx: Context) -> None:
    ctx.note = ctx.note or in_each_language(
        lambda: gettext("The requested materials were not supplied in time.")
    )


def _decide(app: LegalAidApplication, ctx: Context, reasons: str, *, granted: bool) -> None:
    app.decided_at = ctx.now
    app.decision_reasons = reasons
    app.decision = Decision.GRANTED if granted else Decision.REFUSED
    app.decision_seconds = max(0, int((ctx.now - app.received_at).total_seconds()))
    app.decided_late = bool(app.decision_due and ctx.today > app.decision_due)
    if granted:
        app.assignment_due = deadlines.assignment_due(ctx.now)


def grant(app: LegalAidApplication, ctx: Context) -> None:
    reasons = ctx.data.get("reasons") or ""
    _decide(
        app,
        ctx,
        # the decision letter's words: the portal's language, whichever the staff member's
        reasons
        or in_each_language(lambda: gettext("The applicant meets the conditions for legal aid.")),
        granted=True,
    )
    ctx.note = ctx.note or reasons


def grant_first(app: LegalAidApplication, ctx: Context) -> None:
    app.aid_first = True
    _decide(
        app,
        ctx,
        ctx.data.get("reasons")
        or in_each_language(
            lambda: gettext(
                "Urgent matter: aid is given first and the review completed afterwards."
            )
        ),
        granted=True,
    )
    ctx.note = ctx.note or app.decision_reasons


def complete_review(app: LegalAidApplication, ctx: Context) -> str:
    app.review_completed_at = ctx.now
    ctx.note = ctx.note or in_each_language(
        lambda: gettext("Review completed: the applicant meets the conditions.")
    )
    return ctx.source  # the case goes on where it is


def refuse(app: LegalAidApplication, ctx: Context) -> None:
    reasons = _required(ctx, "reasons", gettext("Give the reasons for the refusal."))
    _decide(app, ctx, reasons, granted=False)
    ctx.note = ctx.note or reasons


def assign(app: LegalAidApplication, lawyer: Lawyer, ctx: Context) -> None:
    """The case is the lawyer's: by the staff's choice or the lawyer's acceptance of an offer."""
    app.lawyer = lawyer
    app.assigned_at = ctx.now
    if app.decided_at:
        app.assignment_seconds = max(0, int((app.assigned_at - app.decided_at).total_seconds()))
    app.assigned_late = bool(app.assignment_due and ctx.today > app.assignment_due)
    ctx.log_data["lawyer"] = lawyer.pk


def assign_lawyer(app: LegalAidApplication, ctx: Context) -> None:
    from . import allocation

    lawyer = _required(ctx, "lawyer", gettext("Choose a lawyer."))
    if isinstance(lawyer, Lawyer):  # read just now (the form's choice): no second query
        found = lawyer if lawyer.centre_id == app.competent_centre_id and lawyer.is_active else None
    else:
        found = Lawyer.objects.filter(
            pk=lawyer, centre_id=app.competent_centre_id, is_active=True
        ).first()
    if found is None:
        raise ctx.invalid("lawyer", gettext("Choose an active lawyer of this centre."))
    reason = (ctx.data.get("reason") or "").strip()
    rota_key = ("has_rota", app.competent_centre_id)
    if rota_key not in ctx.memo:
        ctx.memo[rota_key] = allocation.has_rota(app.competent_centre_id)
    if not reason and ctx.memo[rota_key]:
        # the centre allocates by its rota: a lawyer chosen by hand overrides it, with a reason
        raise ctx.invalid(
            "reason", gettext("The centre allocates by its rota: say why you choose by hand.")
        )
    withdrawn = allocation.withdraw_open_offer(app, ctx)
    assign(app, found, ctx)
    if reason:
        ctx.log_data["override_reason"] = reason
    if withdrawn is not None:
        ctx.log_data["withdrawn_offer_to"] = withdrawn.lawyer_id

    def assigned() -> str:
        text = gettext("Assigned to %(lawyer)s, %(firm)s.") % {
            "lawyer": found.name,
            "firm": found.firm,
        }
        if reason:
            text += " " + gettext("Chosen by hand instead of the rota: %(reason)s") % {
                "reason": reason
            }
        return text

    ctx.note = ctx.note or in_each_language(assigned)


def close(app: LegalAidApplication, ctx: Context) -> None:
    outcome = ctx.data.get("outcome")
    if outcome not in Outcome.values:
        raise ctx.invalid("outcome", gettext("Choose the outcome."))
    app.outcome = outcome
    app.outcome_note = ctx.note
    app.closed_at = ctx.now
    if app.assigned_at:
        app.handling_seconds = max(0, int((ctx.now - app.assigned_at).total_seconds()))
    ctx.note = ctx.note or in_each_language(lambda: str(Outcome(outcome).label))


def rate(app: LegalAidApplication, ctx: Context) -> None:
    from portal.ratings.services import rate as rate_subject

    centre = app.competent_centre
    department = centre.department
    if department is None and centre.parent is not None:
        department = centre.parent.department
    if department is None:
        raise NotNow(gettext("Ratings are not set up for this centre yet."), "no_department")
    score = ctx.data.get("score")
    try:
        rate_subject(
            subject=app,
            user=ctx.user,
            score=cast(int, score),  # the ratings service checks it is 1 to 5
            comment=ctx.data.get("comment") or "",
            department=department,
        )
    except ValidationError as error:
        errors = error.message_dict if hasattr(error, "error_dict") else None
        raise Invalid(" ".join(error.messages), errors, step=ctx.step.name) from None
    ctx.note = in_each_language(lambda: gettext("Rated %(score)s of 5.") % {"score": score})


def withdraw(app: LegalAidApplication, ctx: Context) -> None:
    ctx.note = ctx.note or in_each_language(lambda: gettext("Withdrawn by the applicant."))


def terminate(app: LegalAidApplication, ctx: Context) -> None:
    reasons = _required(ctx, "reasons", gettext("Give the reasons for ending the aid."))
    app.termination_reason = reasons
    app.decided_at = app.decided_at or ctx.now
    ctx.note = ctx.note or reasons


def lodge_objection(app: LegalAidApplication, ctx: Context) -> None:
    text = _required(ctx, "text", gettext("Say why you disagree with the decision."))
    app.objected_state = ctx.source
    app.objection = text
    app.objection_at = ctx.now
    app.objection_due = deadlines.objection_due(ctx.now)
    app.objection_decision = ""
    ctx.note = ctx.note or text


def decide_objection(app: LegalAidApplication, ctx: Context) -> None:
    decision = ctx.data.get("decision")
    if decision not in ObjectionDecision.values:
        raise ctx.invalid("decision", gettext("Choose upheld or overturned."))
    reasons = _required(ctx, "reasons", gettext("Give the reasons for the decision."))
    app.objection_decision = decision
    app.objection_reasons = reasons
    app.objection_decided_at = ctx.now
    ctx.note = ctx.note or in_each_language(
        lambda: f"{ObjectionDecision(decision).label}: {reasons}"
    )


# --- notices: what the applicant is told after commit ----------------------------------------

MATERIALS_NEEDED = Tell(
    _("Legal aid %(ref)s: materials needed"),
    _("The centre needs these materials (all of them, asked once): %(note)s"),
)
GRANTED = Tell(
    _("Legal aid %(ref)s: aid granted"),
    _("Legal aid has been granted. A lawyer will be assigned within 3 days."),
)
GRANTED_FIRST = Tell(
    _("Legal aid %(ref)s: aid granted first"),
    _("Your matter is urgent: aid is given now and the review completed afterwards."),
)
REFUSED = Tell(
    _("Legal aid %(ref)s: aid refused"),
    _(
        "Legal aid was refused: %(note)s. You may object to the justice bureau from the "
        "application page."
    ),
)
LAWYER_ASSIGNED = Tell(_("Legal aid %(ref)s: lawyer assigned"), _("%(note)s"))
CLOSED = Tell(
    _("Legal aid %(ref)s: case closed"),
    _("Your case is closed. Please rate the service on the application page."),
)
TERMINATED = Tell(
    _("Legal aid %(ref)s: aid terminated"),
    _("Legal aid has ended: %(note)s. You may object to the justice bureau."),
)
OBJECTION_DECIDED = Tell(
    _("Legal aid %(ref)s: objection decided"),
    _("The justice bureau decided your objection: %(note)s"),
)
LAPSED = Tell(
    _("Legal aid %(ref)s: application lapsed"),
    _(
        "The requested materials were not supplied in time, so the application counts as "
        "withdrawn. You may apply again."
    ),
)
