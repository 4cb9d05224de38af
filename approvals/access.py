"""Who may see and change cases and the cases app's reference data (ADR 0080).

- Acceptance points are reference data: administrators keep them (the public pages list the
  active points for an item through :mod:`approvals.selectors`, as before).
- A staff member's binding to an acceptance point (:class:`PointStaff`) is granted only by
  administrators, and never by the person it binds: it decides whose cases a user works.
- A case is a workflow record. It is seen by its applicant (their own account), by the staff of
  the acceptance point that received it (bound by :class:`PointStaff`), by the staff of its
  competent department, and by administrators; it changes only through
  :mod:`approvals.services`, so by hand (the admin) only a superuser changes it, and nobody
  deletes it. The staff who work it see the applicant's identity number and mobile in full
  (the admin records the view); everybody else sees them masked.
- A case's materials, hand-offs and log follow their case, read-only.
- The daily reference counters: administrators only.

The workflow's own rules (who may accept, review, approve ...) stay with the transitions in
:mod:`approvals.permissions`; the predicates there say who *works* a case, and this policy is
built from them, so the pages, the API, the PDFs and the admin agree.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from portal.access import (
    EVERYTHING,
    NOTHING,
    Policy,
    is_signed_in,
    is_superuser,
    policy_for,
    register,
)
from portal.accounts.permissions import is_administrator, is_department_staff
from portal.validators import mask_identifier

from . import permissions as perms
from .models import (
    AcceptancePoint,
    Case,
    CaseMaterial,
    HandOff,
    PointStaff,
    ReferenceCounter,
    SmartCheck,
)


def _hidden(value: Any) -> str:
    """A delivery address (or any structured personal value): only whether there is one."""
    return "******" if value else ""


def _either(*conditions: Q) -> Q:
    found = [c for c in conditions if c != NOTHING]
    if not found:
        return NOTHING
    result = found[0]
    for condition in found[1:]:
        result |= condition
    return result


@register
class CasePolicy(Policy):
    model = Case
    workflow_record = True
    personal_fields = {
        "applicant_id_number": mask_identifier,
        "applicant_mobile": mask_identifier,
        "delivery": _hidden,
    }

    # ---- the parts of the scope, also the staff's worklists (selectors.staff_cases) --------
    def applicant_q(self, user: Any, prefix: str = "") -> Q:
        """The user's own applications."""
        if not is_signed_in(user):
            return NOTHING
        return Q(**{f"{prefix}applicant_user_id": user.pk})

    def point_q(self, user: Any, prefix: str = "") -> Q:
        """Cases received at the acceptance point the user is bound to."""
        point_id = perms.point_id_of(user) if is_signed_in(user) else None
        if point_id is None:
            return NOTHING
        return Q(**{f"{prefix}accepting_point_id": point_id})

    def department_q(self, user: Any, prefix: str = "") -> Q:
        """Cases of the competent department the user is staff of."""
        if not is_department_staff(user):
            return NOTHING
        return Q(**{f"{prefix}department_id": user.department_id})

    def visible_through(self, user: Any, prefix: str = "") -> Q:
        """:meth:`visible`, for a model that reaches the case through ``prefix`` (``case__``)."""
        if is_administrator(user):
            return EVERYTHING
        return _either(
            self.applicant_q(user, prefix),
            self.point_q(user, prefix),
            self.department_q(user, prefix),
        )

    # ---- the policy ---------------------------------------------------------------------
    def visible(self, user: Any) -> Q:
        return self.visible_through(user)

    def can_view(self, user: Any, obj: Case) -> bool:
        # A predicate over ids on the case and the user's cached binding: no query per case.
        if not is_signed_in(user):
            return False
        # (The point binding last: it is the one that may cost a query.)
        return is_administrator(user) or perms.applicant(user, obj) or self.works_on(user, obj)

    def works_on(self, user: Any, obj: Case) -> bool:
        """Is ``user`` staff who handle ``obj`` (its department or its acceptance point)?"""
        return perms.department_staff(user, obj) or perms.point_staff(user, obj)

    def can_delete(self, user: Any, obj: Case | None = None) -> bool:
        # The record of an application and what was decided on it is kept.
        return False

    def reveals(self, user: Any, obj: Case) -> bool:
        return is_superuser(user) or (is_signed_in(user) and self.works_on(user, obj))


def case_policy() -> CasePolicy:
    return policy_for(Case)  # type: ignore[return-value]


class _FollowsCase(Policy):
    """A record of a case's workflow (materials, hand-offs, log): seen with its case, read-only
    in the admin (superusers aside), never deleted by hand."""

    workflow_record = True

    def visible(self, user: Any) -> Q:
        return case_policy().visible_through(user, "case__")

    def can_view(self, user: Any, obj: Any) -> bool:
        return case_policy().can_view(user, obj.case)

    def can_delete(self, user: Any, obj: Any = None) -> bool:
        return False


@register
class CaseMaterialPolicy(_FollowsCase):
    model = CaseMaterial


@register
class HandOffPolicy(_FollowsCase):
    model = HandOff


@register
class AcceptancePointPolicy(Policy):
    model = AcceptancePoint


@register
class PointStaffPolicy(Policy):
    """Administrators bind staff to points; nobody binds or moves themselves (a superuser
    aside), and no staff member sees the bindings in the admin."""

    model = PointStaff

    def changeable(self, user: Any) -> Q:
        if is_superuser(user):
            return EVERYTHING
        if is_administrator(user):
            return ~Q(user_id=user.pk)
        return NOTHING

    def can_change(self, user: Any, obj: PointStaff) -> bool:
        # ``obj`` as stored; the user a form binds instead is checked by the admin's form.
        return self.may_bind(user, obj.user_id)

    def can_delete(self, user: Any, obj: PointStaff | None = None) -> bool:
        return self.may_bind(user, None if obj is None else obj.user_id)

    def may_bind(self, user: Any, bound_user_id: int | None) -> bool:
        """May ``user`` bind (or unbind) the user ``bound_user_id`` to a point?"""
        if is_superuser(user):
            return True
        return is_administrator(user) and bound_user_id != user.pk


@register
class ReferenceCounterPolicy(Policy):
    model = ReferenceCounter


@register
class SmartCheckPolicy(Policy):
    """An item's smart-approval conditions (ADR 0117): kept by administrators and by the staff
    of the item's competent department (who keep the item itself), seen by them only."""

    model = SmartCheck

    def visible(self, user: Any) -> Q:
        if is_administrator(user):
            return EVERYTHING
        if is_department_staff(user):
            return Q(item__department_id=user.department_id)
        return NOTHING

    def changeable(self, user: Any) -> Q:
        return self.visible(user)

    def can_add(self, user: Any) -> bool:
        # (the admin's inline also asks whether the user may change the item it is added to)
        return is_administrator(user) or is_department_staff(user)

    def can_delete(self, user: Any, obj: SmartCheck | None = None) -> bool:
        if obj is None:
            return self.can_add(user)
        return self.can_change(user, obj)
