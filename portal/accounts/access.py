"""Who may see and change accounts (ADR 0080).

- People's accounts are kept by administrators. Only a superuser may touch a superuser's
  account or make somebody a superuser; nobody grants themselves a role in the admin.
- System clients (API keys) and one-time codes: administrators only (the default policy).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from portal.access import EVERYTHING, NOTHING, Policy, is_superuser, register
from portal.validators import mask_identifier

from .models import OneTimeCode, SystemClient, User
from .permissions import is_administrator


@register
class UserPolicy(Policy):
    model = User
    personal_fields = {"mobile": mask_identifier, "resident_id": mask_identifier}

    def visible(self, user: Any) -> Q:
        return EVERYTHING if is_administrator(user) else NOTHING

    def changeable(self, user: Any) -> Q:
        if is_superuser(user):
            return EVERYTHING
        if is_administrator(user):
            return Q(is_superuser=False) & ~Q(pk=user.pk)
        return NOTHING

    def can_change(self, user: Any, obj: User) -> bool:
        if is_superuser(user):
            return True
        return is_administrator(user) and not obj.is_superuser and obj.pk != user.pk

    def can_delete(self, user: Any, obj: User | None = None) -> bool:
        return is_superuser(user) and (obj is None or obj.pk != user.pk)

    def reveals(self, user: Any, obj: User) -> bool:
        return is_administrator(user)


@register
class SystemClientPolicy(Policy):
    model = SystemClient


@register
class OneTimeCodePolicy(Policy):
    model = OneTimeCode
    personal_fields = {"mobile": mask_identifier}
