"""Submitting an application: online (from a draft), by the API, or typed in at a centre's
counter; routed to the competent centre and forwarded there when handed in elsewhere."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from portal import idempotency
from portal.catalogue.forms import local_name
from portal.catalogue.models import Region
from portal.languages import in_each_language
from portal.workflow import NotAllowed, NotNow, write_log

from .. import deadlines
from .. import permissions as perms
from ..models import (
    AgeBand,
    ApplicationDraft,
    Body,
    Category,
    Centre,
    Channel,
    Consultation,
    Evidence,
    Exemption,
    LegalAidApplication,
    RecipientGroup,
    Sex,
    State,
    Urgency,
    month_of,
)
from ..selectors import route
from .hardship import assess as assess_hardship
from .notices import notify_applicant
from .steps import handed_in_elsewhere, take


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
    recipient_group: str = ""
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
        texts = ("address", "opposing_party", "exemption", "hardship_statement", "urgency")
        for text in (*texts, "recipient_group"):
            values[text] = values.get(text) or ""
        values["commitment"] = bool(values.get("commitment"))
        values.update(overrides)
        return cls(**values)


def recipient_of(resident_id: str, day: datetime.date) -> tuple[str, str]:
    """Sex and age band on ``day`` from an 18-digit resident identity number (GB 11643: the
    birth date at 7-14, an odd 17th digit for a man); blanks when it cannot be read."""
    try:
        born = datetime.date(
            int(resident_id[6:10]), int(resident_id[10:12]), int(resident_id[12:14])
        )
        sex = Sex.MALE if int(resident_id[16]) % 2 else Sex.FEMALE
    except (ValueError, IndexError):
        return "", ""
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    band = AgeBand.MINOR if age < 18 else AgeBand.ELDERLY if age >= 60 else AgeBand.ADULT
    return sex, band


def recipient_group_of(declared: str, exemption: str) -> str:
    """The group the applicant stated; a migrant worker claiming wages counts as one."""
    if declared:
        return declared
    return RecipientGroup.MIGRANT_WORKER if exemption == Exemption.MIGRANT_WORKER_WAGES else ""


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
    if data.recipient_group and data.recipient_group not in RecipientGroup.values:
        errors.setdefault("recipient_group", []).append(gettext("Choose a group from the list."))
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
            raise NotNow(gettext("This application form is no longer open."), "conflict")
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
    hardship = assess_hardship(
        exemption=data.exemption,
        household_size=data.household_size,
        monthly_income=data.monthly_income,
        region=data.residence or routing.centre.region,
        day=today,
    )
    sex, age_band = recipient_of(data.resident_id.strip().upper(), today)
    app = LegalAidApplication(
        applicant=user if getattr(user, "is_authenticated", False) else None,
        sex=sex,
        age_band=age_band,
        recipient_group=recipient_group_of(data.recipient_group, data.exemption),
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
        hardship_result=hardship.result,
        hardship_standard=hardship.standard,
        hardship_threshold=hardship.threshold,
        income_per_person=hardship.per_person,
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
        raise NotNow(gettext("Could not number the application; try again."), "conflict")
    accepting = app.accepting_centre
    if recorded_by is not None and accepting is not None:
        note = in_each_language(
            lambda: (
                gettext("Application recorded at the counter of %(centre)s.")
                % {"centre": local_name(accepting)}
            )
        )
    else:
        note = in_each_language(lambda: gettext("Application submitted."))
    write_log(
        "legal_aid",
        app,
        "submit",
        source="",
        target=State.SUBMITTED,
        user=recorded_by or user,
        note=note,
        at=now,
    )
    if draft is not None:
        Evidence.objects.filter(draft=draft).update(application=app, draft=None)
        draft.delete()
    if accepting is not None and handed_in_elsewhere(app, {}) is None:
        # handed in elsewhere: the system forwards it to the competent centre
        app = take(
            app,
            "forward",
            None,
            note=in_each_language(
                lambda: (
                    gettext("Forwarded from %(from)s to the competent centre %(to)s.")
                    % {"from": local_name(accepting), "to": local_name(app.competent_centre)}
                )
            ),
        )
    notify_applicant(
        app,
        "submitted",
        lambda: (
            gettext("Legal-aid application %(ref)s received") % {"ref": app.reference},
            gettext(
                "Your application has reached %(centre)s. A decision is due by %(due)s. "
                "Download the receipt from the application page."
            )
            % {"centre": local_name(app.competent_centre), "due": app.decision_due},
        ),
    )
    return app


def record_walk_in(
    data: ApplicationInput, *, staff: Any, submission_key: str | None = None
) -> LegalAidApplication:
    """An application typed in by centre staff for a person at their counter. Their own centre
    accepts it whatever the court (全市通办); routing, forwarding and time limits are those of
    any application. Staff record at their own centre only; bureau officers do not."""
    binding = perms.membership(staff)
    if binding is None or not perms.can_record_walk_in(staff):
        raise NotAllowed(gettext("Only centre staff record applications at their counter."))
    centre = binding.centre
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
