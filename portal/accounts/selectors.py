"""Queries over accounts."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Role, User


def department_staff(department_ids: Iterable[int]) -> QuerySet[User]:
    """The active staff accounts of the departments ``department_ids`` (who a department's
    inbox messages go to)."""
    return User.objects.filter(
        department_id__in=set(department_ids), role=Role.DEPARTMENT_STAFF, is_active=True
    )
