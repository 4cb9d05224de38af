"""Who may take a case's workflow steps: the ``who`` predicates of :mod:`approvals.workflows`.

Each takes ``(user, case)``; ``user is None`` is the system (scheduled tasks, the courier's
webhook, cases the system opens). They read only ids already on the case and the user (the
user's acceptance-point binding is cached on the user object after the first look), so checking
every button on a page costs at most one query."""

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


def point_staff(user: Any, case: Case) -> bool:
    """Staff of the acceptance point that received the case."""
    point_id = point_id_of(user)
    return point_id is not None and point_id == case.accepting_point_id


def department_staff(user: Any, case: Case) -> bool:
    """Staff of the competent department."""
    # (Without a department, is_department_staff would accept staff of any department.)
    return case.department_id is not None and is_department_staff(user, case.department_id)


def applicant(user: Any, case: Case) -> bool:
    """The applicant's own account."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and case.applicant_user_id is not None
        and case.applicant_user_id == user.pk
    )


def applicant_or_point_staff(user: Any, case: Case) -> bool:
    return applicant(user, case) or point_staff(user, case)


def handler_of_current_stage(user: Any, case: Case) -> bool:
    """Before acceptance the point handles the case, afterwards the department."""
    if case.status == "submitted":
        return point_staff(user, case)
    return department_staff(user, case)


def department_staff_or_system(user: Any, case: Case) -> bool:
    """Department staff; for a case the system opened, also the system (no-sense approval)."""
    if user is None:
        return case.opened_by_system
    return department_staff(user, case)


def system_on_smart_item(user: Any, case: Case) -> bool:
    """Only the system, on an item with smart approval (its checks are the step's condition)."""
    return user is None and case.item.smart_approval


def courier_or_staff(user: Any, case: Case) -> bool:
    """The system (the courier's webhook), the department or the accepting point."""
    if user is None:
        return True
    return department_staff(user, case) or point_staff(user, case)


def sent_by_courier(case: Case) -> bool:
    """The applicant chose the courier: the courier's event marks the case delivered."""
    return (case.delivery or {}).get("method") == "courier"


def courier_or_staff_unless_couriered(user: Any, case: Case) -> bool:
    """Marking delivered: the system (the courier's event) always; staff only when no courier
    carries the result (a courier case is handed over in person with a reason instead)."""
    if user is None:
        return True
    return not sent_by_courier(case) and courier_or_staff(user, case)


def staff_on_couriered_case(user: Any, case: Case) -> bool:
    """Handing over in person a result the courier was to bring: staff only, with a reason."""
    return user is not None and sent_by_courier(case) and courier_or_staff(user, case)


def actor_role(user: Any, case: Case) -> str:
    """The role in which ``user`` acts on ``case``, for the log."""
    if user is None:
        return "system"
    if department_staff(user, case):
        return "department_staff"
    if point_staff(user, case):
        return "point_staff"
    if applicant(user, case):
        return "applicant"
    return "administrator"
