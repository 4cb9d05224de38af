"""A user's legal-aid role: their centre binding (cached), staff or bureau officer, who records
walk-in applications, who reads the statistics.

- centre staff (``StaffRole.STAFF``) record walk-in applications, accepted at their own centre;
- the justice bureau: an officer (``StaffRole.BUREAU``) bound to a centre decides objections
  against it and its branches.

Who may *read* a record, and who may take which step of the application's workflow, is not
decided here: ``legal_aid.access`` holds the policies and the workflow's predicates that the
pages, the API, the exports and the admin all ask (ADR 0080).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.accounts.models import Role

if TYPE_CHECKING:
    from .models import Lawyer, StaffMembership


def membership(user: Any) -> StaffMembership | None:
    """The user's centre binding, or None. Kept in the user's one-to-one cache: loaded with the
    session's user (``registry.add_user_binding``, ADR 0124), else read here once per user."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.role not in (Role.LEGAL_AID_STAFF, Role.ADMINISTRATOR):
        return None
    from .models import StaffMembership

    binding = StaffMembership.user.field.remote_field  # the user's side of the one-to-one
    if not binding.is_cached(user):
        rows = list(StaffMembership.objects.select_related("centre").filter(user_id=user.pk)[:1])
        binding.set_cached_value(user, rows[0] if rows else None)
    return binding.get_cached_value(user)


def lawyer_of(user: Any) -> Lawyer | None:
    """The lawyer record bound to the user's account (cached on the user object), or None: a
    lawyer's role is this binding, as a staff member's is their centre binding."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_legal_aid_lawyer_cache", False)
    if cached is not False:
        return cached
    from .models import Lawyer

    found = Lawyer.objects.filter(user=user, is_active=True).first()
    user._legal_aid_lawyer_cache = found
    return found


def is_staff_member(user: Any) -> bool:
    return membership(user) is not None


def is_bureau_officer(user: Any) -> bool:
    m = membership(user)
    return m is not None and m.role == "bureau"


def can_record_walk_in(user: Any) -> bool:
    """Centre staff type in the application of a person who came to their counter (their own
    centre accepts it); justice bureau officers do not staff the counter."""
    m = membership(user)
    return m is not None and m.role == "staff"


def can_view_statistics(user: Any) -> bool:
    """Administrators (all figures), centre staff (their centre's), the bureau (its centres')."""
    from .access import statistics_q

    return statistics_q(user) is not None
