"""Who may see a bundle application (ADR 0080, 0118).

The application is the applicant's: they see it (their own account) with every case it opened.
Staff see an application only through the cases they work (their department's, or those
received at their acceptance point), and on its progress page only those cases; administrators
see all. It changes only through :func:`approvals.bundles.services.submit_bundle` (a workflow
record: read-only in the admin, never deleted by hand)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from portal.access import EVERYTHING, NOTHING, Policy, is_signed_in, register
from portal.accounts.permissions import is_administrator
from portal.validators import mask_identifier

from ..access import case_policy
from ..models import Case
from .models import BundleApplication, BundleCase


@register
class BundleApplicationPolicy(Policy):
    model = BundleApplication
    workflow_record = True
    personal_fields = {
        "applicant_id_number": mask_identifier,
        "applicant_mobile": mask_identifier,
    }

    def staff_q(self, user: Any) -> Q:
        """Applications with a case the user works (not as its applicant)."""
        policy = case_policy()
        works = Q()
        found = False
        for condition in (policy.point_q(user), policy.department_q(user)):
            if condition != NOTHING:
                works = works | condition if found else condition
                found = True
        if not found:
            return NOTHING
        cases = Case.objects.filter(works).filter(bundle_link__application_id=OuterRef("pk"))
        return Q(Exists(cases))

    def visible(self, user: Any) -> Q:
        if not is_signed_in(user):
            return NOTHING
        if is_administrator(user):
            return EVERYTHING
        staff = self.staff_q(user)
        own = Q(applicant_user_id=user.pk)
        return own if staff == NOTHING else own | staff

    def can_view(self, user: Any, obj: BundleApplication) -> bool:
        if not is_signed_in(user):
            return False
        if is_administrator(user) or obj.applicant_user_id == user.pk:
            return True
        return self._matches(obj, self.visible(user))

    def can_delete(self, user: Any, obj: BundleApplication | None = None) -> bool:
        return False


@register
class BundleCasePolicy(Policy):
    """A link between an application and a case: seen with its case."""

    model = BundleCase
    workflow_record = True

    def visible(self, user: Any) -> Q:
        return case_policy().visible_through(user, "case__")

    def can_view(self, user: Any, obj: BundleCase) -> bool:
        return case_policy().can_view(user, obj.case)

    def can_delete(self, user: Any, obj: BundleCase | None = None) -> bool:
        return False
