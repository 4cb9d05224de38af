"""Commands that change legal-aid state. Each runs in one transaction; workflow commands lock
the application row (``select_for_update``), re-check the state and the actor's right, take the
django-fsm transition, write the log and, after commit, notify the applicant."""

from __future__ import annotations

import datetime
import logging
import secrets
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal import idempotency
from portal.catalogue.models import Region
from portal.uploads import check_upload

from . import deadlines
from .models import (
    TAKES_PROGRESS_NOTES,
    ApplicationDraft,
    ApplicationEvent,
    Body,
    Category,
    Centre,
    Channel,
    Consultation,
    Decision,
    Evidence,
    Exemption,
    Lawyer,
    LegalAidApplication,
    MatterType,
    ObjectionDecision,
    Outcome,
    ProgressNote,
    State,
    Urgency,
    month_of,
)
from .selectors import route

logger = logging.getLogger(__name__)


class WorkflowError(Exception):
    """A transition that cannot be taken; ``status`` is what the API answers (403 or 409)."""

    status = 409

    def __init__(self, message: str, code: str = "conflict") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class NotAllowed(WorkflowError):
    status = 403

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message or gettext("You may not take this step on this application."), "forbidden"
        )


# ---------------------------------------------------------------------------------------------
# Submitting
# ---------------------------------------------------------------------------------------------


@dataclass
class ApplicationInput:
    applicant_name: str
    resident_id: str
    phone: str
    matter_type: str
    category: str
    facts: str
    commitment: bool
    address: str = ""
    residence: Region | None = None
    opposing_party: str = ""
    body: Body | None = None
    place: Region | None = None
    arose_on: datetime.date | None = None
    exemption: str = ""
    hardship_statement: str = ""
    household_size: int | None = None
    monthly_income: int | None = None
    urgency: str = ""
    limitation_ends: datetime.date | None = None
    accepting_centre: Centre | None = None
    consultation: Consultation | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_cleaned(cls, cleaned: dict[str, Any], **overrides: Any) -> ApplicationInput:
        """From a form's cleaned data (the online steps, the counter's form): the fields this
        input knows, blanks as the defaults."""
        names = {f.name for f in fields(cls)} - {"extra"}
        values = {k: v for k, v in cleaned.items() if k in names}
        for text in ("address", "opposing_party", "exemption", "hardship_statement", "urgency"):
            values[text] = values.get(text) or ""
        values["commitment"] = bool(values.get("commitment"))
        values.update(overrides)
        return cls(**values)


def new_reference(prefix: str = "FY", when: datetime.datetime | None = None) -> str:
    when = timezone.localtime(when or timezone.now())
    return f"{prefix}{when:%Y%m%d}{secrets.token_hex(3).upper()}"


def validate_input(data: ApplicationInput) -> None:
    """Rules no single field knows: the commitment, the hardship statement or an exemption,
    urgency details."""
    errors: dict[str, list[str]] = {}
    if not data.commitment:
        errors.setdefault("commitment", []).append(
            gettext("Tick the commitment that what you state is true.")
        )
    if not data.exemption and not data.hardship_statement.strip():
        errors.setdefault("hardship_statement", []).append(
            gettext("State your economic hardship, or choose the exemption that applies to you.")
        )
    if data.exemption and data.exemption not in Exemption.values:
        errors.setdefault("exemption", []).append(gettext("Choose an exemption from the list."))
    if data.category not in Category.values:
        errors.setdefault("category", []).append(gettext("Choose a category from the list."))
    if data.urgency == Urgency.LIMITATION and data.limitation_ends is None:
        errors.setdefault("limitation_ends", []).append(
            gettext("Give the date the limitation period ends.")
        )
    if errors:
        raise ValidationError(errors)


DRAFT_PURPOSE = "legal_aid:draft"
WALK_IN_PURPOSE = "legal_aid:walk_in"
API_PURPOSE = "legal_aid:application"


def draft_submission_key(user: Any, draft_id: int | str) -> str | None:
    """The submission key of a draft: however often it is submitted, one application."""
    return idempotency.submission_key(user, DRAFT_PURPOSE, str(draft_id))


def submitted_from(key: str | None) -> LegalAidApplication | None:
    """The application an earlier submission with ``key`` made, if any."""
    if not key:
        return None
    return LegalAidApplication.objects.filter(submission_key=key).first()


@transaction.atomic
def submit_application(
    data: ApplicationInput,
    *,
    user: Any,
    channel: str = Channel.ONLINE,
    draft: ApplicationDraft | None = None,
    recorded_by: Any = None,
    submission_key: str | None = None,
) -> LegalAidApplication:
    """Store a complete application, route it, forward it when handed in elsewhere, and move
    the draft's evidence onto it. ``recorded_by``: the staff member who typed it in at the
    counter (the submit step's actor; the application has no applicant account then).

    Idempotent: a submission with the ``submission_key`` of an earlier one (a draft's key by
    default) returns that application instead of making another. The draft row is locked
    (``select_for_update``) and re-read, so of two submits racing the second waits, finds the
    draft gone and returns the first's application; the unique key settles a race the lock
    cannot (SQLite, or two tabs of one form)."""
    if draft is not None:
        submission_key = submission_key or draft_submission_key(draft.user_id, draft.pk)
        locked = ApplicationDraft.objects.select_for_update().filter(pk=draft.pk).first()
        if locked is None:
            earlier = submitted_from(submission_key)
            if earlier is not None:
                return earlier
            raise WorkflowError(gettext("This application form is no longer open."))
    earlier = submitted_from(submission_key)
    if earlier is not None:
        return earlier
    validate_input(data)
    routing = route(data.matter_type, body=data.body, place=data.place)
    now = timezone.now()
    today = timezone.localdate()
    urgency = data.urgency
    if not urgency and deadlines.limitation_is_urgent(data.limitation_ends, today):
        urgency = Urgency.LIMITATION
    app = LegalAidApplication(
        applicant=user if getattr(user, "is_authenticated", False) else None,
        applicant_name=data.applicant_name.strip(),
        resident_id=data.resident_id.strip().upper(),
        phone=data.phone.strip(),
        address=data.address,
        residence=data.residence,
        matter_type=data.matter_type,
        category=data.category,
        opposing_party=data.opposing_party,
        body=data.body,
        place=data.place,
        arose_on=data.arose_on,
        facts=data.facts,
        exemption=data.exemption,
        hardship_statement=data.hardship_statement if not data.exemption else "",
        household_size=data.household_size,
        monthly_income=data.monthly_income,
        commitment_at=now,
        urgency=urgency,
        limitation_ends=data.limitation_ends,
        channel=channel,
        accepting_centre=data.accepting_centre,
        competent_centre=routing.centre,
        routing_reason=routing.reason_zh[:300],
        routing_reason_en=routing.reason_en[:300],
        consultation=data.consultation,
        submitted_at=now,
        month=month_of(now),
        received_at=now,
        decision_due=deadlines.decision_due(now),
        submission_key=submission_key,
    )
    app.full_clean(exclude=["reference", "applicant", "submission_key"])
    for _attempt in range(5):
        app.reference = new_reference()
        try:
            with transaction.atomic():
                app.save()
            break
        except IntegrityError:
            earlier = submitted_from(submission_key)
            if earlier is not None:  # a concurrent submission of the same form won
                return earlier
            app.pk = None
            continue
    else:  # pragma: no cover - 16M references a day
        raise WorkflowError(gettext("Could not number the application; try again."))
    if recorded_by is not None:
        _log(
            app,
            "submit",
            "",
            State.SUBMITTED,
            recorded_by,
            gettext("Application recorded at the counter of %(centre)s.")
            % {"centre": app.accepting_centre.name},
        )
    else:
        _log(app, "submit", "", State.SUBMITTED, user, gettext("Application submitted."))
    if draft is not None:
        Evidence.objects.filter(draft=draft).update(application=app, draft=None)
        draft.delete()
    if app.accepting_centre_id and app.accepting_centre_id != app.competent_centre_id:
        app.forward()
        app.save(update_fields=["state"])
        _log(
            app,
            "forward",
            State.SUBMITTED,
            State.FORWARDED,
            None,
            gettext("Forwarded from %(from)s to the competent centre %(to)s.")
            % {"from": app.accepting_centre.name, "to": app.competent_centre.name},
        )
    _after_commit(
        app,
        "submitted",
        gettext("Legal-aid application %(ref)s received") % {"ref": app.reference},
        gettext(
            "Your application has reached %(centre)s. A decision is due by %(due)s. "
            "Download the receipt from the application page."
        )
        % {"centre": app.competent_centre.name, "due": app.decision_due},
    )
    return app


def record_walk_in(
    data: ApplicationInput, *, staff: Any, submission_key: str | None = None
) -> LegalAidApplication:
    """An application typed in by centre staff for a person at their counter. Their own centre
    accepts it whatever the court (全市通办); routing, forwarding and time limits are those of
    any application. Staff record at their own centre only; bureau officers do not."""
    from . import permissions as perms

    if not perms.can_record_walk_in(staff):
        raise NotAllowed(gettext("Only centre staff record applications at their counter."))
    centre = perms.membership(staff).centre
    if data.accepting_centre is not None and data.accepting_centre.pk != centre.pk:
        raise ValidationError(
            {
                "accepting_centre": [
                    gettext("You record applications at your own centre, %(centre)s, only.")
                    % {"centre": centre.name}
                ]
            }
        )
    data.accepting_centre = centre
    return submit_application(
        data,
        user=None,
        channel=Channel.CENTRE,
        recorded_by=staff,
        submission_key=submission_key,
    )


# ---------------------------------------------------------------------------------------------
# Drafts and evidence
# ---------------------------------------------------------------------------------------------


def draft_for(user: Any, draft_id: int | None = None) -> ApplicationDraft:
    if draft_id:
        draft = ApplicationDraft.objects.filter(user=user, pk=draft_id).first()
        if draft is not None:
            return draft
    draft = ApplicationDraft.objects.filter(user=user).first()
    return draft or ApplicationDraft.objects.create(user=user)


@transaction.atomic
def save_draft_step(draft: ApplicationDraft, step: int, answers: dict[str, Any]) -> None:
    draft.data = {**draft.data, **answers}
    draft.step = max(draft.step, step + 1)
    draft.save(update_fields=["data", "step", "updated_at"])


@transaction.atomic
def start_draft_from_consultation(user: Any, consultation: Consultation) -> ApplicationDraft:
    """Pre-fill a new draft from a 12348 consultation made from the user's own number."""
    if not user.mobile or user.mobile != consultation.caller_phone:
        raise ValidationError(
            _("This consultation was not made from your mobile number."), code="not_caller"
        )
    data = {
        "applicant_name": consultation.caller_name or user.real_name,
        "phone": consultation.caller_phone,
        "resident_id": user.resident_id or "",
        "category": consultation.topic,
        "facts": consultation.question,
    }
    return ApplicationDraft.objects.create(user=user, data=data, step=1, consultation=consultation)


@transaction.atomic
def add_evidence(
    *,
    upload: UploadedFile,
    description: str,
    user: Any,
    draft: ApplicationDraft | None = None,
    application: LegalAidApplication | None = None,
    for_materials_request: bool = False,
) -> Evidence:
    """Check a file's type (by its content, not its name) and size, then store it."""
    content_type = check_upload(upload)
    return Evidence.objects.create(
        draft=draft,
        application=application,
        description=description[:120] or upload.name[:120],
        file=upload,
        original_name=upload.name[:200],
        size=upload.size,
        content_type=content_type,
        uploaded_by=user,
        for_materials_request=for_materials_request,
    )


@transaction.atomic
def add_requested_material(
    reference: str, *, user: Any, upload: UploadedFile | None, description: str = ""
) -> Evidence:
    """A file the applicant hands in for the materials request, while the centre waits for it
    (the row is locked, so it cannot slip in after the request lapses)."""
    from . import permissions as perms

    app = _locked(reference)
    if not perms.applicant(app, user):
        raise NotAllowed()
    if app.state != State.MATERIALS_REQUESTED:
        raise WorkflowError(
            gettext("The centre is not waiting for materials now."), "state_changed"
        )
    _require(upload, "file", gettext("Choose a file to upload."))
    return add_evidence(
        upload=upload,
        description=description,
        user=user,
        application=app,
        for_materials_request=True,
    )


# ---------------------------------------------------------------------------------------------
# The workflow
# ---------------------------------------------------------------------------------------------


def _log(
    app: LegalAidApplication, name: str, from_state: str, to_state: str, user: Any, note: str = ""
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=app,
        transition=name,
        from_state=from_state,
        to_state=to_state,
        actor=user if getattr(user, "is_authenticated", False) else None,
        note=note,
    )


def _notify_now(app_id: int, key: str, subject: str, body: str) -> None:
    try:
        from portal.notifications.services import send_bulk, to_person

        app = LegalAidApplication.objects.select_related("applicant").get(pk=app_id)
        send_bulk(
            to_person(
                user=app.applicant,
                mobile=app.phone,
                subject=subject,
                body=body,
                link=reverse("legal_aid:application", args=[app.reference]),
                key=key,
            )
        )
    except Exception:  # noqa: BLE001 - a notice never undoes a committed decision
        logger.exception("legal aid notice %s failed", key)


def _after_commit(app: LegalAidApplication, what: str, subject: str, body: str) -> None:
    key = f"legal_aid:{app.reference}:{what}"
    app_id = app.pk
    transaction.on_commit(lambda: _notify_now(app_id, key, subject, body))


def _locked(reference: str) -> LegalAidApplication:
    qs = LegalAidApplication.objects.select_related("competent_centre", "lawyer", "applicant")
    if connection.features.has_select_for_update_of:
        qs = qs.select_for_update(of=("self",))
    else:
        qs = qs.select_for_update()
    app = qs.filter(reference=reference).first()
    if app is None:
        raise WorkflowError(gettext("There is no such application."), "not_found")
    return app


def _take(app: LegalAidApplication, name: str, user: Any, *, system: bool = False) -> str:
    """Check that ``name`` may be taken now by ``user`` and take it; returns the old state."""
    method = getattr(app, name)
    meta = method._django_fsm
    state = app.state
    if not meta.has_transition(state):
        raise WorkflowError(
            gettext(
                "This application is now “%(state)s”, so this step is no longer possible. "
                "Someone may have acted on it a moment ago: reload the page."
            )
            % {"state": State(state).label},
            "state_changed",
        )
    if not system and not meta.has_transition_perm(app, state, user):
        raise NotAllowed()
    if not meta.conditions_met(app, state):
        raise WorkflowError(_condition_message(name), "condition")
    method()
    return state


def _condition_message(name: str) -> str:
    return {
        "forward": gettext("The application is already at the competent centre."),
        "request_materials": gettext(
            "Materials can be requested only once; this application already had its request."
        ),
        "grant_first": gettext("Only an urgent application can be granted before the review."),
        "lapse": gettext("The deadline for the materials has not passed yet."),
        "complete_review": gettext("There is no review left to complete."),
        "grant": gettext("Aid can be granted now only after the bureau overturned a refusal."),
        "assign_lawyer": gettext("A lawyer can be assigned only once aid is granted."),
    }.get(name, gettext("This step is not possible now."))


def perform(
    reference: str, name: str, user: Any, *, note: str = "", system: bool = False, **kwargs: Any
) -> LegalAidApplication:
    """Take the transition ``name`` on the application, with its own arguments."""
    handler = HANDLERS.get(name)
    if handler is None:
        raise WorkflowError(gettext("Unknown step."), "unknown")
    with transaction.atomic():
        app = _locked(reference)
        before = _take(app, name, user, system=system)
        event_note = handler(app, user, note=note, previous=before, **kwargs) or note
        app.save()
        event = _log(app, name, before, app.state, user, event_note)
        message = MESSAGES.get(name)
        if message:
            subject, body = message
            _after_commit(
                app,
                f"{name}:{event.pk}",
                str(subject) % {"ref": app.reference},
                str(body) % {"ref": app.reference, "note": event_note},
            )
    return app


def _require(value: Any, field_name: str, message: str) -> None:
    if value in (None, "", [], ()):
        raise ValidationError({field_name: [message]})


def _h_forward(app, user, note="", **kw):
    return note or gettext("Forwarded to the competent centre %(to)s.") % {
        "to": app.competent_centre.name
    }


def _h_start_review(app, user, note="", **kw):
    return note


def _h_request_materials(
    app, user, note="", items: list[str] | None = None, days: int | None = None, **kw
):
    items = [i.strip() for i in (items or []) if i and i.strip()]
    _require(items, "items", gettext("List every material that is missing, one per line."))
    days = days or deadlines.MATERIALS_DAYS_DEFAULT
    if not deadlines.MATERIALS_DAYS_MIN <= days <= deadlines.MATERIALS_DAYS_MAX:
        raise ValidationError(
            {
                "days": [
                    gettext("Give the applicant between %(min)s and %(max)s days.")
                    % {"min": deadlines.MATERIALS_DAYS_MIN, "max": deadlines.MATERIALS_DAYS_MAX}
                ]
            }
        )
    now = timezone.now()
    app.materials_request = "\n".join(items)
    app.materials_requested_at = now
    app.materials_due = deadlines.materials_due(now, days)
    return note or gettext("Materials requested (all at once): %(items)s") % {
        "items": "; ".join(items)
    }


def _h_supply_materials(app, user, note="", **kw):
    if not app.evidence.filter(for_materials_request=True).exists() and not note.strip():
        raise ValidationError(
            {"files": [gettext("Upload the requested materials or explain why you cannot.")]}
        )
    now = timezone.now()
    app.materials_supplied_at = now
    paused_from = timezone.localtime(app.materials_requested_at).date()
    app.decision_due = deadlines.extend_for_pause(
        app.decision_due, paused_from, timezone.localdate()
    )
    return note or gettext("Materials supplied.")


def _h_lapse(app, user, note="", **kw):
    return note or gettext("The requested materials were not supplied in time.")


def _decide(app, reasons: str, *, granted: bool) -> None:
    now = timezone.now()
    app.decided_at = now
    app.decision_reasons = reasons
    app.decision = Decision.GRANTED if granted else Decision.REFUSED
    app.decision_seconds = max(0, int((now - app.received_at).total_seconds()))
    app.decided_late = bool(app.decision_due and timezone.localdate() > app.decision_due)
    if granted:
        app.assignment_due = deadlines.assignment_due(now)


def _h_grant(app, user, note="", reasons: str = "", **kw):
    _decide(
        app, reasons or gettext("The applicant meets the conditions for legal aid."), granted=True
    )
    return note or reasons


def _h_grant_first(app, user, note="", reasons: str = "", **kw):
    app.aid_first = True
    _decide(
        app,
        reasons
        or gettext("Urgent matter: aid is given first and the review completed afterwards."),
        granted=True,
    )
    return note or app.decision_reasons


def _h_complete_review(app, user, note="", **kw):
    app.review_completed_at = timezone.now()
    return note or gettext("Review completed: the applicant meets the conditions.")


def _h_refuse(app, user, note="", reasons: str = "", **kw):
    _require(reasons.strip(), "reasons", gettext("Give the reasons for the refusal."))
    _decide(app, reasons, granted=False)
    return note or reasons


def _h_assign_lawyer(app, user, note="", lawyer: Lawyer | int | None = None, **kw):
    _require(lawyer, "lawyer", gettext("Choose a lawyer."))
    lawyer_id = lawyer.pk if isinstance(lawyer, Lawyer) else lawyer
    found = Lawyer.objects.filter(
        pk=lawyer_id, centre_id=app.competent_centre_id, is_active=True
    ).first()
    if found is None:
        raise ValidationError({"lawyer": [gettext("Choose an active lawyer of this centre.")]})
    app.lawyer = found
    app.assigned_at = timezone.now()
    if app.decided_at:
        app.assignment_seconds = max(0, int((app.assigned_at - app.decided_at).total_seconds()))
    app.assigned_late = bool(app.assignment_due and timezone.localdate() > app.assignment_due)
    return note or gettext("Assigned to %(lawyer)s, %(firm)s.") % {
        "lawyer": found.name,
        "firm": found.firm,
    }


def _h_begin(app, user, note="", **kw):
    return note


def _h_close(app, user, note="", outcome: str = "", **kw):
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [gettext("Choose the outcome.")]})
    app.outcome = outcome
    app.outcome_note = note
    app.closed_at = timezone.now()
    return note or Outcome(outcome).label


def _h_rate(app, user, note="", score: int | None = None, comment: str = "", **kw):
    from portal.ratings.services import rate

    department = app.competent_centre.department
    if department is None and app.competent_centre.parent_id:
        department = app.competent_centre.parent.department
    if department is None:
        raise WorkflowError(gettext("Ratings are not set up for this centre yet."), "no_department")
    rate(subject=app, user=user, score=score, comment=comment, department=department)
    return gettext("Rated %(score)s of 5.") % {"score": score}


def _h_withdraw(app, user, note="", **kw):
    return note or gettext("Withdrawn by the applicant.")


def _h_terminate(app, user, note="", reasons: str = "", **kw):
    _require(reasons.strip(), "reasons", gettext("Give the reasons for ending the aid."))
    app.termination_reason = reasons
    app.decided_at = app.decided_at or timezone.now()
    return note or reasons


def _h_lodge_objection(app, user, note="", text: str = "", **kw):
    _require(text.strip(), "text", gettext("Say why you disagree with the decision."))
    now = timezone.now()
    app.objected_state = kw.get("previous", "")
    app.objection = text
    app.objection_at = now
    app.objection_due = deadlines.objection_due(now)
    app.objection_decision = ""
    return note or text


def _h_decide_objection(app, user, note="", decision: str = "", reasons: str = "", **kw):
    if decision not in ObjectionDecision.values:
        raise ValidationError({"decision": [gettext("Choose upheld or overturned.")]})
    _require(reasons.strip(), "reasons", gettext("Give the reasons for the decision."))
    app.objection_decision = decision
    app.objection_reasons = reasons
    app.objection_decided_at = timezone.now()
    return note or f"{ObjectionDecision(decision).label}: {reasons}"


HANDLERS = {
    "forward": _h_forward,
    "start_review": _h_start_review,
    "request_materials": _h_request_materials,
    "supply_materials": _h_supply_materials,
    "lapse": _h_lapse,
    "grant": _h_grant,
    "grant_first": _h_grant_first,
    "complete_review": _h_complete_review,
    "refuse": _h_refuse,
    "assign_lawyer": _h_assign_lawyer,
    "begin": _h_begin,
    "close": _h_close,
    "rate": _h_rate,
    "withdraw": _h_withdraw,
    "terminate": _h_terminate,
    "lodge_objection": _h_lodge_objection,
    "decide_objection": _h_decide_objection,
}

MESSAGES = {
    "request_materials": (
        _("Legal aid %(ref)s: materials needed"),
        _("The centre needs these materials (all of them, asked once): %(note)s"),
    ),
    "grant": (
        _("Legal aid %(ref)s: aid granted"),
        _("Legal aid has been granted. A lawyer will be assigned within 3 days."),
    ),
    "grant_first": (
        _("Legal aid %(ref)s: aid granted first"),
        _("Your matter is urgent: aid is given now and the review completed afterwards."),
    ),
    "refuse": (
        _("Legal aid %(ref)s: aid refused"),
        _(
            "Legal aid was refused: %(note)s. You may object to the justice bureau from the "
            "application page."
        ),
    ),
    "assign_lawyer": (_("Legal aid %(ref)s: lawyer assigned"), _("%(note)s")),
    "close": (
        _("Legal aid %(ref)s: case closed"),
        _("Your case is closed. Please rate the service on the application page."),
    ),
    "terminate": (
        _("Legal aid %(ref)s: aid terminated"),
        _("Legal aid has ended: %(note)s. You may object to the justice bureau."),
    ),
    "decide_objection": (
        _("Legal aid %(ref)s: objection decided"),
        _("The justice bureau decided your objection: %(note)s"),
    ),
    "lapse": (
        _("Legal aid %(ref)s: application lapsed"),
        _(
            "The requested materials were not supplied in time, so the application counts as "
            "withdrawn. You may apply again."
        ),
    ),
}


@transaction.atomic
def add_progress_note(reference: str, user: Any, text: str) -> ProgressNote:
    """A progress note the applicant sees; the first one starts the case (in progress)."""
    _require(text.strip(), "text", gettext("Write what happened."))
    app = _locked(reference)
    from . import permissions as perms

    if not perms.handling(app, user):
        raise NotAllowed()
    if app.state not in TAKES_PROGRESS_NOTES:
        raise WorkflowError(
            gettext(
                "Progress notes can be added once a lawyer is assigned and until the case closes."
            ),
            "state_changed",
        )
    if app.state == State.LAWYER_ASSIGNED:
        before = _take(app, "begin", user)
        app.save(update_fields=["state"])
        _log(app, "begin", before, app.state, user, gettext("Work on the case started."))
    note = ProgressNote.objects.create(application=app, author=user, text=text.strip())
    _after_commit(
        app,
        f"progress:{note.pk}",
        gettext("Legal aid %(ref)s: progress") % {"ref": app.reference},
        text.strip()[:300],
    )
    return note


# ---------------------------------------------------------------------------------------------
# The 12348 hotline
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def record_consultation(
    *,
    caller_name: str,
    caller_phone: str,
    topic: str,
    question: str,
    answer: str,
    duration_seconds: int,
    handled_by: Any,
    handled_at: datetime.datetime | None = None,
    suggest_application: bool = False,
) -> Consultation:
    if topic not in Category.values:
        raise ValidationError({"topic": [gettext("Choose a topic from the list.")]})
    if duration_seconds < 0 or duration_seconds > 24 * 3600:
        raise ValidationError({"duration_seconds": [gettext("Give the call's length in seconds.")]})
    consultation = Consultation(
        caller_name=caller_name.strip(),
        caller_phone=caller_phone.strip(),
        topic=topic,
        question=question.strip(),
        answer=answer.strip(),
        duration_seconds=duration_seconds,
        handled_by=handled_by if getattr(handled_by, "is_authenticated", False) else None,
        handled_at=handled_at or timezone.now(),
        suggest_application=suggest_application,
    )
    consultation.reference = new_reference("ZX", consultation.handled_at)
    consultation.month = month_of(consultation.handled_at)
    consultation.full_clean()
    consultation.save()
    if suggest_application and caller_phone:
        link = reverse("legal_aid:consultation_apply", args=[consultation.reference])
        key = f"legal_aid:consultation:{consultation.reference}"

        def _sms() -> None:
            try:
                from portal.notifications.services import send

                send(
                    channel="sms",
                    address=consultation.caller_phone,
                    subject=gettext("12348: apply for legal aid"),
                    body=gettext(
                        "You may be eligible for legal aid. Sign in with this mobile number to "
                        "start an application already filled in from your call."
                    ),
                    link=link,
                    key=key,
                )
            except Exception:  # noqa: BLE001
                logger.exception("12348 SMS failed")

        transaction.on_commit(_sms)
    return consultation


# ---------------------------------------------------------------------------------------------
# Access log
# ---------------------------------------------------------------------------------------------


def log_access(app: LegalAidApplication, user: Any, channel: str = "page") -> None:
    """Staff opened the full record (applicants reading their own are not logged)."""
    from . import permissions as perms

    if perms.applicant(app, user):
        return
    from .models import AccessLog

    AccessLog.objects.create(application=app, user=user, channel=channel)


def eligibility(
    *,
    matter_type: str,
    category: str,
    exemption: str,
    hardship: str,
    body: Body | None,
    place: Region | None,
    limitation_ends: datetime.date | None = None,
    urgency: str = "",
) -> dict[str, Any]:
    """The public check: may the person apply, on what basis, where, and is it urgent?"""
    from .models import HARDSHIP_CHECK_WAIVED, NO_HARDSHIP_CONDITION

    routing = route(matter_type, body=body, place=place)
    if exemption in NO_HARDSHIP_CONDITION:
        basis, eligible = "no_condition", True
    elif exemption in HARDSHIP_CHECK_WAIVED:
        basis, eligible = "check_waived", True
    elif hardship == "yes":
        basis, eligible = "statement", True
    else:
        basis, eligible = "not_hardship", False
    urgent = bool(urgency) or deadlines.limitation_is_urgent(limitation_ends, timezone.localdate())
    return {
        "eligible": eligible,
        "basis": basis,
        "routing": routing,
        "urgent": urgent,
        "category": category,
    }


__all__ = [
    "ApplicationInput",
    "MatterType",
    "NotAllowed",
    "WorkflowError",
    "add_evidence",
    "add_progress_note",
    "add_requested_material",
    "eligibility",
    "perform",
    "record_consultation",
    "record_walk_in",
    "submit_application",
]
