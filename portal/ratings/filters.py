"""Query parameters of the rating statistics (ADR 0081): ``by`` picks the grouping (department
by default, or service item), ``since`` and ``until`` the days of the ratings counted. None may
be given empty; a range with since after until is empty (no rows), not an error."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from portal.api.filters import IsoDateFilter, PortalFilterSet

from . import selectors


class StatisticsFilterSet(PortalFilterSet):
    by = django_filters.ChoiceFilter(
        choices=[("department", "department"), ("item", "item")], method="grouped",
        help_text="department (default) or item.",
    )  # fmt: skip
    since = IsoDateFilter(field_name="created_at", lookup_expr="date__gte")
    until = IsoDateFilter(field_name="created_at", lookup_expr="date__lte")

    refuse_blank = ("by", "since", "until")
    blank_message = "May not be blank."

    def grouped(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # the view lists by department; since and until narrow the rows after this
        return selectors.statistics_by_item() if value == "item" else queryset
