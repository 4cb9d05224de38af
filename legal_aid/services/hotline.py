"""The 12348 hotline: a call answered is recorded with the lawyer on duty at the time (the
hotline rota, by day and night, working days and rest days from ``portal.workdays``); a caller
who may be eligible is sent a link to an application already filled in from the call; every
caller with a mobile number is sent the one-question satisfaction survey (即时满意度调查),
answered by a signed link to a page that needs no sign-in."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from portal import workdays
from portal.validators import validate_mobile
from portal.workflow import NotFound, NotNow

from .. import permissions as perms
from ..models import (
    Category,
    Consultation,
    DayKind,
    DutyRota,
    HotlineService,
    Lawyer,
    RotaEntry,
    RotaKind,
    Satisfaction,
    Shift,
    month_of,
)
from .submission import new_reference

logger = logging.getLogger(__name__)

SURVEY_SALT = "legal_aid.call_survey"
SURVEY_MAX_AGE = 30 * 24 * 3600  # a month to answer


def _shift_of(rota: DutyRota, moment: datetime.datetime) -> tuple[str, datetime.date]:
    """The shift a moment falls in, and the day it began (a night runs past midnight: a call
    at 02:00 on Saturday is Friday's night shift)."""
    local = timezone.localtime(moment)
    clock = local.time()
    if rota.day_starts <= clock < rota.night_starts:
        return Shift.DAY, local.date()
    if clock < rota.day_starts:
        return Shift.NIGHT, local.date() - datetime.timedelta(days=1)
    return Shift.NIGHT, local.date()


def on_duty(moment: datetime.datetime, centre_id: int | None = None) -> list[Lawyer]:
    """The lawyers on the hotline rota at ``moment``, in the rota's order (the rotas of
    ``centre_id`` when it has one, else every hotline rota)."""
    entries = RotaEntry.objects.filter(
        rota__kind=RotaKind.HOTLINE, rota__is_active=True, lawyer__is_active=True
    ).select_related("rota", "lawyer")
    if centre_id is not None and entries.filter(rota__centre_id=centre_id).exists():
        entries = entries.filter(rota__centre_id=centre_id)
    found: list[Lawyer] = []
    working: dict[datetime.date, bool] = {}
    for entry in entries.order_by("rota_id", "position", "id"):
        shift, day = _shift_of(entry.rota, moment)
        if day not in working:
            working[day] = workdays.is_working_day(day)
        kind = DayKind.WORKING if working[day] else DayKind.REST
        if entry.shift not in ("", shift) or entry.days not in ("", kind):
            continue
        if entry.lawyer not in found:
            found.append(entry.lawyer)
    return found


def duty_lawyer_at(moment: datetime.datetime, handler: Any = None) -> Lawyer | None:
    """The duty lawyer of a call: the lawyer who took it when they are on the rota then, else
    the first on duty (of the handler's centre's rota, when it has one)."""
    own = perms.lawyer_of(handler)
    binding = perms.membership(handler)
    centre_id = own.centre_id if own else (binding.centre_id if binding else None)
    duty = on_duty(moment, centre_id)
    if own is not None and own in duty:
        return own
    return duty[0] if duty else None


def _is_mobile(phone: str) -> bool:
    try:
        validate_mobile(phone)
    except ValidationError:
        return False
    return True


@transaction.atomic
def record_consultation(
    *,
    caller_name: str,
    caller_phone: str,
    question: str,
    answer: str,
    duration_seconds: int,
    handled_by: Any,
    topic: str = "",
    service: str = HotlineService.LEGAL_AID,
    handled_at: datetime.datetime | None = None,
    suggest_application: bool = False,
    send_survey: bool = True,
) -> Consultation:
    service = service or HotlineService.LEGAL_AID
    if service not in HotlineService.values:
        raise ValidationError({"service": [gettext("Choose a topic from the list.")]})
    if service == HotlineService.LEGAL_AID and topic not in Category.values:
        raise ValidationError(
            {"topic": [gettext("For a legal-aid question, choose the category of the matter.")]}
        )
    if service != HotlineService.LEGAL_AID:
        topic = ""
        if suggest_application:
            raise ValidationError(
                {
                    "suggest_application": [
                        gettext("Only a legal-aid question leads to an application.")
                    ]
                }
            )
    if duration_seconds < 0 or duration_seconds > 24 * 3600:
        raise ValidationError({"duration_seconds": [gettext("Give the call's length in seconds.")]})
    handler = handled_by if getattr(handled_by, "is_authenticated", False) else None
    handled_at = handled_at or timezone.now()
    consultation = Consultation(
        caller_name=caller_name.strip(),
        caller_phone=caller_phone.strip(),
        service=service,
        topic=topic,
        question=question.strip(),
        answer=answer.strip(),
        duration_seconds=duration_seconds,
        handled_by=handler,
        duty_lawyer=duty_lawyer_at(handled_at, handler),
        handled_at=handled_at,
        suggest_application=suggest_application,
    )
    consultation.reference = new_reference("ZX", consultation.handled_at)
    consultation.month = month_of(consultation.handled_at)
    mobile = _is_mobile(consultation.caller_phone)
    if send_survey and mobile:
        consultation.survey_sent_at = timezone.now()
    consultation.full_clean()
    consultation.save()
    if suggest_application and caller_phone:
        _send_apply_link(consultation)
    if consultation.survey_sent_at is not None:
        _send_survey(consultation)
    return consultation


def _sms(
    consultation: Consultation, compose: Callable[[], tuple[str, str]], link: str, key: str
) -> None:
    """An SMS to the caller after commit, in the portal's language whichever language the staff
    member works in (``compose`` returns its subject and body)."""
    with override(settings.LANGUAGE_CODE):
        subject, body = compose()

    def send() -> None:
        try:
            from portal.notifications.services import send

            send(
                channel="sms",
                address=consultation.caller_phone,
                subject=subject,
                body=body,
                link=link,
                key=key,
            )
        except Exception:
            logger.exception("12348 SMS failed")

    transaction.on_commit(send)


def _send_apply_link(consultation: Consultation) -> None:
    _sms(
        consultation,
        lambda: (
            gettext("12348: apply for legal aid"),
            gettext(
                "You may be eligible for legal aid. Sign in with this mobile number to "
                "start an application already filled in from your call."
            ),
        ),
        reverse("legal_aid:consultation_apply", args=[consultation.reference]),
        f"legal_aid:consultation:{consultation.reference}",
    )


def survey_token(consultation: Consultation) -> str:
    return signing.dumps(consultation.reference, salt=SURVEY_SALT, compress=True)


def survey_link(consultation: Consultation) -> str:
    return reverse("legal_aid:call_survey", args=[survey_token(consultation)])


def _send_survey(consultation: Consultation) -> None:
    _sms(
        consultation,
        lambda: (
            gettext("12348: how did we do?"),
            gettext(
                "Thank you for calling 12348. One question: were you satisfied with the answer?"
            ),
        ),
        survey_link(consultation),
        f"legal_aid:call_survey:{consultation.reference}",
    )


def consultation_for_survey(token: str) -> Consultation:
    """The call a survey link is for; NotFound for a link altered, expired or unknown."""
    try:
        reference = signing.loads(token, salt=SURVEY_SALT, max_age=SURVEY_MAX_AGE)
    except signing.BadSignature:
        raise NotFound(
            gettext("This survey link is not valid or has expired."), "survey_link"
        ) from None
    consultation = Consultation.objects.filter(reference=reference).first()
    if consultation is None or consultation.survey_sent_at is None:
        raise NotFound(gettext("This survey link is not valid or has expired."), "survey_link")
    return consultation


@transaction.atomic
def answer_survey(token: str, score: Any) -> Consultation:
    """Record the caller's answer, once."""
    consultation = consultation_for_survey(token)
    try:
        value = int(score)
    except (TypeError, ValueError):
        value = 0
    if value not in Satisfaction.values:
        raise ValidationError({"score": [gettext("Choose one of the answers.")]})
    updated = Consultation.objects.filter(
        pk=consultation.pk, survey_answered_at__isnull=True
    ).update(survey_score=value, survey_answered_at=timezone.now())
    if not updated:
        raise NotNow(gettext("This survey has been answered already. Thank you."), "answered")
    consultation.refresh_from_db()
    return consultation
