"""Official working days: the only place in the portal that knows holidays.

Sources, in order:
1. ``CalendarDay`` rows that staff enter in the admin (corrections, or a year the bundled calendar
   does not cover yet once the State Council publishes its notice);
2. the ``chinesecalendar`` package: public holidays and adjusted working days (调休) per the
   State Council's yearly notices;
3. for a year neither covers: Monday to Friday, less the fixed-date holidays (New Year's Day,
   Labour Day, National Day 1-3 October).

Every time limit in the portal is counted with :func:`add_working_days`, starting the day after
``start`` (a case accepted on Friday with a limit of 1 working day is due on Monday).
"""

from __future__ import annotations

import datetime
import time

import chinese_calendar

FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}
MAX_SPAN_DAYS = 3660


# Corrections are read once and kept for CORRECTIONS_TTL seconds: a change saved in the admin
# clears this process's copy at once (portal.signals) and reaches the other worker processes
# within the TTL.
CORRECTIONS_TTL = 60.0
_loaded: dict[str, object] = {"at": None, "data": None}


def _corrections() -> dict[datetime.date, bool]:
    now = time.monotonic()
    at = _loaded["at"]
    if at is None or now - at > CORRECTIONS_TTL:  # type: ignore[operator]
        from portal.models import CalendarDay

        _loaded["data"] = dict(CalendarDay.objects.values_list("date", "is_working_day"))
        _loaded["at"] = now
    return _loaded["data"]  # type: ignore[return-value]


def clear_cache() -> None:
    """Forget the cached corrections (called when staff change one)."""
    _loaded["at"] = None
    _loaded["data"] = None


def is_working_day(day: datetime.date) -> bool:
    """Is ``day`` an official working day in mainland China?"""
    if isinstance(day, datetime.datetime):
        day = day.date()
    corrections = _corrections()
    if day in corrections:
        return corrections[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5 and (day.month, day.day) not in FIXED_HOLIDAYS


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date ``days`` working days after ``start`` (counting from the day after ``start``).

    ``days == 0`` returns ``start``. Negative ``days`` count backwards."""
    if isinstance(start, datetime.datetime):
        start = start.date()
    if days == 0:
        return start
    step = datetime.timedelta(days=1 if days > 0 else -1)
    remaining = abs(days)
    current = start
    for _ in range(MAX_SPAN_DAYS):
        current += step
        if is_working_day(current):
            remaining -= 1
            if remaining == 0:
                return current
    raise ValueError(f"{days} working days from {start} is beyond the supported span")


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    if isinstance(start, datetime.datetime):
        start = start.date()
    if isinstance(end, datetime.datetime):
        end = end.date()
    count = 0
    current = start
    while current < end:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
