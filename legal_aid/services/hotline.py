"""The 12348 hotline: a call answered is recorded; a caller who may be eligible is sent a link
to an application already filled in from the call."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from ..models import Category, Consultation, month_of
from .submission import new_reference

logger = logging.getLogger(__name__)


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
            except Exception:
                logger.exception("12348 SMS failed")

        transaction.on_commit(_sms)
    return consultation
