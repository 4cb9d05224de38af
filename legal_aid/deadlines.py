"""Time limits of the Legal Aid Law (docs/adr/0060-legal-aid-time-limits-natural-days.md).

The law counts in days (日), not working days (工作日): 7 days to decide after receiving an
application (article 43), 3 days to assign once aid is granted (article 43), 5 days for the
justice bureau to decide an objection (article 49). Periods are natural days counted from the
day after the starting day; when the last day is not a working day, the period ends on the next
working day (Civil Code article 203, the general rule for periods). Urgency (article 44): a
limitation period or time limit ending in fewer than 7 days.
"""

from __future__ import annotations

import datetime

from portal.workdays import is_working_day

DECISION_DAYS = 7
ASSIGNMENT_DAYS = 3
OBJECTION_DAYS = 5
URGENT_WITHIN_DAYS = 7
MATERIALS_DAYS_DEFAULT = 15
MATERIALS_DAYS_MIN = 5
MATERIALS_DAYS_MAX = 30


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def legal_due(start: datetime.date | datetime.datetime, days: int) -> datetime.date:
    """The last day of a period of ``days`` natural days starting after ``start``, moved to
    the next working day when it falls on a rest day or holiday."""
    due = _as_date(start) + datetime.timedelta(days=days)
    for _ in range(40):
        if is_working_day(due):
            return due
        due += datetime.timedelta(days=1)
    return due


def decision_due(received: datetime.date | datetime.datetime) -> datetime.date:
    return legal_due(received, DECISION_DAYS)


def assignment_due(decided: datetime.date | datetime.datetime) -> datetime.date:
    return legal_due(decided, ASSIGNMENT_DAYS)


def objection_due(lodged: datetime.date | datetime.datetime) -> datetime.date:
    return legal_due(lodged, OBJECTION_DAYS)


def materials_due(requested: datetime.date | datetime.datetime, days: int) -> datetime.date:
    return legal_due(requested, days)


def limitation_is_urgent(limitation_ends: datetime.date | None, today: datetime.date) -> bool:
    """Article 44(1): fewer than 7 days until the limitation period or time limit ends."""
    if limitation_ends is None:
        return False
    return today <= limitation_ends < today + datetime.timedelta(days=URGENT_WITHIN_DAYS)


def extend_for_pause(
    due: datetime.date | None, paused_from: datetime.date, paused_to: datetime.date
) -> datetime.date | None:
    """The time the applicant takes to supply materials does not count toward the 7 days:
    the decision is due later by the days the request was open."""
    if due is None:
        return None
    return (
        legal_due(due, max(0, (paused_to - paused_from).days)) if paused_to > paused_from else due
    )
