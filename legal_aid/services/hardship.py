"""The economic-hardship test (Legal Aid Law art. 34, 41, 42; ADR 0107): the declared household
income per person per month against the standard in force for the applicant's district on the
application date. Exempt applicants (art. 32, 42) skip it; an applicant who gives no figures
(or lives where no standard is set) is recorded as self-declared with a commitment (art. 41)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext

from ..models import HARDSHIP_CHECK_WAIVED, NO_HARDSHIP_CONDITION, HardshipResult, HardshipStandard


@dataclass(frozen=True)
class Assessment:
    result: str
    standard: HardshipStandard | None = None
    threshold: int | None = None
    per_person: int | None = None


def standard_in_force(region, day: datetime.date) -> HardshipStandard | None:
    """The standard of ``region`` (else of its parent, the city) in force on ``day``: one query."""
    if region is None:
        return None
    codes = [region.pk] + ([region.parent_id] if region.parent_id else [])
    found = list(
        HardshipStandard.objects.filter(region_id__in=codes, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .select_related("region")
        .order_by("-valid_from")
    )
    found.sort(key=lambda s: codes.index(s.region_id))  # the district's own first
    return found[0] if found else None


def per_person(monthly_income: int, household_size: int) -> int:
    """Whole yuan, rounded down (the applicant's favour)."""
    return monthly_income // max(household_size, 1)


def assess(
    *,
    exemption: str,
    household_size: int | None,
    monthly_income: int | None,
    region,
    day: datetime.date,
) -> Assessment:
    if exemption in NO_HARDSHIP_CONDITION:
        return Assessment(HardshipResult.NO_CONDITION)
    if exemption in HARDSHIP_CHECK_WAIVED:
        return Assessment(HardshipResult.CHECK_WAIVED)
    if monthly_income is None or not household_size:
        return Assessment(HardshipResult.DECLARED)
    standard = standard_in_force(region, day)
    if standard is None:
        return Assessment(HardshipResult.DECLARED)
    income = per_person(monthly_income, household_size)
    threshold = standard.threshold
    result = HardshipResult.MEETS if income <= threshold else HardshipResult.EXCEEDS
    return Assessment(result, standard, threshold, income)


def explanation(app) -> str:
    """What the test found, with the rule and the figures, in the active language."""
    result = app.hardship_result
    if result == HardshipResult.NO_CONDITION:
        return gettext(
            "Your matter is one of those for which the law sets no economic-hardship condition "
            "(Legal Aid Law art. 32)."
        )
    if result == HardshipResult.CHECK_WAIVED:
        return gettext(
            "You belong to a group whose economic hardship is not checked (Legal Aid Law art. 42)."
        )
    if result == HardshipResult.DECLARED or not result:
        return gettext(
            "Your economic hardship is self-declared, with your commitment that it is true "
            "(Legal Aid Law art. 41); the centre may verify it."
        )
    standard = app.hardship_standard
    values = {
        "income": app.monthly_income,
        "size": app.household_size,
        "per_person": app.income_per_person,
        "threshold": app.hardship_threshold,
        "rule": standard.rule if standard else "",
        "region": standard.region.name if standard else "",
        "day": app.submitted_at.date().isoformat() if app.submitted_at else "",
    }
    if result == HardshipResult.MEETS:
        return (
            gettext(
                "Household income of %(income)s yuan a month for %(size)s people is %(per_person)s "
                "yuan per person. The standard in force in %(region)s on %(day)s is %(threshold)s "
                "yuan (%(rule)s): you meet the economic-hardship condition."
            )
            % values
        )
    return (
        gettext(
            "Household income of %(income)s yuan a month for %(size)s people is %(per_person)s "
            "yuan per person. The standard in force in %(region)s on %(day)s is %(threshold)s "
            "yuan (%(rule)s): this is above the standard, so aid can be granted only on an "
            "exemption or a corrected declaration."
        )
        % values
    )
