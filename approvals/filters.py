"""Query parameters of the cases' API list (ADR 0081). ``scope`` picks the worklist (the
applicant's own cases by default, or a staff user's department's or acceptance point's, each
cut by the case policy in the selectors); ``status`` narrows the staff worklists. An empty
value means the default, as it always has; an unknown one answers 400."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from portal.api.filters import PortalFilterSet

from . import selectors
from .models import Status

STAFF_SCOPES = ("department", "point")


class CaseFilterSet(PortalFilterSet):
    scope = django_filters.ChoiceFilter(
        choices=[("mine", "mine"), *((s, s) for s in STAFF_SCOPES)], method="worklist",
        help_text="mine (default), or for staff department / point.",
    )  # fmt: skip
    status = django_filters.ChoiceFilter(
        choices=[("open", "open"), ("all", "all"), *Status.choices], method="unchanged",
        help_text="For staff scopes: open, all (default) or a status.",
    )  # fmt: skip

    def worklist(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value not in STAFF_SCOPES:
            return queryset  # mine: the applicant's own cases, as the view lists them
        return selectors.staff_cases(
            self.request.user, scope=value, status=self.value("status", "all")
        )
