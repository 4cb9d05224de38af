"""The online form's drafts: one per user, answers kept between the steps, or started from a
12348 consultation made from the user's own number."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..models import ApplicationDraft, Consultation


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
