"""Who may take a case's transitions: the ``permission=`` callables of the workflow.

Each takes ``(case, user)``; ``user is None`` is the system (scheduled tasks, the courier's
webhook, proactive approvals). They read only ids already on the case and the user (the user's
acceptance-point binding is cached on the user object after the first look), so checking every
button on a page costs at most one query."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.accounts.models import Role
from portal.accounts.permissions import is_department_staff

if TYPE_CHECKING:
    from .models import Case

DEPARTMENT_STAFF_ROLE = Role.DEPARTMENT_STAFF


def point_id_of(user: Any) -> int | None:
    """The acceptance point a staff user works at, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    post = getattr(user, "acceptance_post", None)
    return post.point_id if post is not None else None


def point_staff(case: Case, user: Any) -> bool:
    """Staff of the acceptance point that received the case."""
    point_id = point_id_of(user)
    return point_id is not None and point_id == case.accepting_point_id


def department_staff(case: Case, user: Any) -> bool:
    """Staff of the competent department."""
    # (Without a department, is_department_staff would accept staff of any department.)
    return case.department_id is not None and is_department_staff(user, case.department_id)


def applicant(case: Case, user: Any) -> bool:
    """The applicant's own account."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and case.applicant_user_id is not None
        and case.applicant_user_id == user.pk
    )


def applicant_or_point_staff(case: Case, user: Any) -> bool:
    return applicant(case, user) or point_staff(case, user)


def handler_of_current_stage(case: Case, user: Any) -> bool:
    """Before acceptance the point handles the case, afterwards the department."""
    if case.status == "submitted":
        return point_staff(case, user)
    return department_staff(case, user)


def department_staff_or_proactive_system(case: Case, user: Any) -> bool:
    """Department staff; for proactive cases also the system (no-sense approval)."""
    if user is None:
        return case.channel == "proactive"
    return department_staff(case, user)


def courier_or_staff(case: Case, user: Any) -> bool:
    """The system (the courier's webhook), the department or the accepting point."""
    if user is None:
        return True
    return department_staff(case, user) or point_staff(case, user)


def actor_role(case: Case, user: Any) -> str:
    """The role in which ``user`` acts on ``case``, for the log."""
    if user is None:
        return "system"
    if department_staff(case, user):
        return "department_staff"
    if point_staff(case, user):
        return "point_staff"
    if applicant(case, user):
        return "applicant"
    return "administrator"
