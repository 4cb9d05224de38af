"""Records of who saw personal data in full (ADR 0080). The policies decide who may; this module
only writes down that somebody did."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from portal.models import PersonalDataView


def record_view(user: Any, obj: Model, *, channel: str) -> PersonalDataView:
    """``user`` was shown ``obj``'s personal data in full on ``channel`` (admin, page, api)."""
    return PersonalDataView.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        label=str(obj)[:200],
        channel=channel,
    )
