"""Who may take a workflow transition: the ``permission=`` callables of the state machine, and
the read rules the pages and the API share.

- the applicant: the account that submitted the application;
- accepting-centre staff: staff bound to the centre where it was handed in;
- competent-centre staff: staff bound to the competent centre (they also read the applications
  handed in at their centre and forwarded elsewhere);
- centre staff (``StaffRole.STAFF``) record walk-in applications, accepted at their own centre;
- the justice bureau: an officer (``StaffRole.BUREAU``) bound to the competent centre, or to its
  parent when the competent centre is a branch, decides objections.

Who may *read* a record is not decided here: ``legal_aid.access`` holds the policies that the
pages, the API, the exports and the admin all ask (ADR 0080).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.accounts.models import Role

if TYPE_CHECKING:
    from .models import LegalAidApplication, StaffMembership


def membership(user: Any) -> StaffMembership | None:
    """The user's centre binding (cached on the user object), or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.role not in (Role.LEGAL_AID_STAFF, Role.ADMINISTRATOR):
        return None
    cached = getattr(user, "_legal_aid_membership_cache", False)
    if cached is not False:
        return cached
    from .models import StaffMembership

    found = StaffMembership.objects.select_related("centre").filter(user=user).first()
    user._legal_aid_membership_cache = found
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


def applicant(instance: LegalAidApplication, user: Any) -> bool:
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and instance.applicant_id is not None
        and instance.applicant_id == user.pk
    )


def competent(instance: LegalAidApplication, user: Any) -> bool:
    m = membership(user)
    return m is not None and m.centre_id == instance.competent_centre_id


def accepting(instance: LegalAidApplication, user: Any) -> bool:
    m = membership(user)
    return (
        m is not None
        and instance.accepting_centre_id is not None
        and (m.centre_id == instance.accepting_centre_id)
    )


def handling(instance: LegalAidApplication, user: Any) -> bool:
    """Competent-centre staff or the assigned lawyer."""
    if competent(instance, user):
        return True
    lawyer = getattr(instance, "lawyer", None)
    return lawyer is not None and lawyer.user_id is not None and lawyer.user_id == user.pk


def bureau(instance: LegalAidApplication, user: Any) -> bool:
    from .access import covers

    m = membership(user)
    return m is not None and m.role == "bureau" and covers(m, instance.competent_centre)


def can_read(instance: LegalAidApplication, user: Any) -> bool:
    """The full record: the application's policy (``legal_aid.access``) decides."""
    from .access import can_read_application

    return can_read_application(user, instance)
