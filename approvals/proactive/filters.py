"""Query parameters of the proactive approvals' API lists (ADR 0081). An empty value means "any",
as it always has; a malformed one answers 400."""

from __future__ import annotations

import django_filters
from django.core.validators import RegexValidator
from django.db.models import QuerySet

from portal.api.filters import NO_NUL, PortalFilterSet

from . import selectors
from .models import OfferStatus

USCC = RegexValidator(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class CompanyFilterSet(PortalFilterSet):
    certificate_type = django_filters.CharFilter(
        method="holding", max_length=16, validators=[NO_NUL], help_text="Certificate type code"
    )
    district = django_filters.CharFilter(
        field_name="district_id", validators=[RegexValidator(r"^\d{6}$")],
        help_text="GB/T 2260 region code",
    )  # fmt: skip

    def holding(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.holding(queryset, value)


class OfferFilterSet(PortalFilterSet):
    company = django_filters.CharFilter(
        field_name="company__uscc", max_length=18, validators=[USCC],
        help_text="The company's USCC",
    )  # fmt: skip
    status = django_filters.ChoiceFilter(choices=OfferStatus.choices)
