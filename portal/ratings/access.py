"""Who may see and change ratings (ADR 0080).

- A rating is what a citizen said about a finished case: it changes through nobody's hands (a
  workflow record, read-only in the admin). Administrators see all; department staff the ratings
  of their department (the department the rating went to, or the competent department of the
  rated item); the citizen their own.
- A follow-up of a bad rating belongs to its department: its staff see and resolve it (through
  ``services.resolve_follow_up``, also from the admin); administrators see and resolve all.
- The statistics page and API are public (好差评公示): aggregates by department and item, with
  no rating, comment or person in them.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from portal.access import EVERYTHING, NOTHING, Policy, is_signed_in, policy_for, register
from portal.accounts.permissions import is_administrator, is_department_staff

from .models import FollowUp, Rating


def _department_of(user: Any) -> int | None:
    return user.department_id if is_department_staff(user) else None


@register
class RatingPolicy(Policy):
    model = Rating
    workflow_record = True

    def visible(self, user: Any) -> Q:
        if is_administrator(user):
            return EVERYTHING
        if not is_signed_in(user):
            return NOTHING
        condition = Q(user_id=user.pk)
        department = _department_of(user)
        if department is not None:
            condition |= Q(department_id=department) | Q(item__department_id=department)
        return condition

    def can_view(self, user: Any, obj: Rating) -> bool:
        if obj.pk is None:
            return False
        if is_administrator(user):
            return True
        if not is_signed_in(user):
            return False
        if obj.user_id == user.pk:
            return True
        department = _department_of(user)
        if department is None:
            return False
        if obj.department_id == department:
            return True
        return obj.item_id is not None and obj.item.department_id == department


@register
class FollowUpPolicy(Policy):
    model = FollowUp

    def visible(self, user: Any) -> Q:
        if is_administrator(user):
            return EVERYTHING
        department = _department_of(user)
        return NOTHING if department is None else Q(department_id=department)

    changeable = visible

    def can_view(self, user: Any, obj: FollowUp) -> bool:
        if obj.pk is None:
            return False
        return is_administrator(user) or is_department_staff(user, obj.department_id)

    can_change = can_view


def may_resolve(user: Any, follow_up: FollowUp) -> bool:
    """Who may resolve a follow-up (the workflow's ``who``): whoever may change it under the
    policy above, i.e. its department's staff or an administrator."""
    return policy_for(follow_up).can_change(user, follow_up)
