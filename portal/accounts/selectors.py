"""Queries over accounts."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from portal.registry import registry

from .models import Role, User


def signed_in_user(pk: int | str) -> User | None:
    """The user of a session, with the bindings the apps registered (where they work:
    ``registry.add_user_binding``) in the same query, or None."""
    rows = User._default_manager.select_related(*registry.user_bindings()).filter(pk=pk)
    found = list(rows[:1])  # a slice, not first(): no ORDER BY for a primary-key read
    return found[0] if found else None


def department_staff(department_ids: Iterable[int]) -> QuerySet[User]:
    """The active staff accounts of the departments ``department_ids`` (who a department's
    inbox messages go to)."""
    return User.objects.filter(
        department_id__in=set(department_ids), role=Role.DEPARTMENT_STAFF, is_active=True
    )
