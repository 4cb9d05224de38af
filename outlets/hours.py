"""Which opening hours apply on a day. The holiday decision is made here once per request in
Python (from ``portal.workdays``, the only place that knows holidays); which outlets are open is
then decided in SQL (``outlets.selectors.open_now_condition``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from portal.workdays import is_working_day

MONDAY = 0


def local_now() -> datetime.datetime:
    """The current time in the portal's time zone (tests replace this to travel in time)."""
    return timezone.localtime()


def is_public_holiday(day: datetime.date) -> bool:
    """A day off that is not an ordinary weekend: a non-working weekday, or a weekend day inside a
    run of three or more consecutive days off (Spring Festival, National Day, a long weekend)."""
    if is_working_day(day):
        return False
    if day.weekday() < 5:
        return True
    run = 1
    one = datetime.timedelta(days=1)
    current = day - one
    while run < 3 and not is_working_day(current):
        run += 1
        current -= one
    current = day + one
    while run < 3 and not is_working_day(current):
        run += 1
        current += one
    return run >= 3


@dataclass(frozen=True)
class DayRule:
    """How each kind of outlet calendar treats one date.

    ``calendar_weekday``: the weekday whose hours an outlet on the official working-day calendar
    uses (``None``: closed; an adjusted working day at a weekend uses Monday's hours).
    ``weekly_weekday``: the weekday whose hours an outlet with fixed weekly hours uses.
    ``holiday``: the date is a public holiday (outlets marked closed on holidays are closed)."""

    day: datetime.date
    working_day: bool
    holiday: bool
    calendar_weekday: int | None
    weekly_weekday: int

    @classmethod
    def for_day(cls, day: datetime.date) -> DayRule:
        working = is_working_day(day)
        weekday = day.weekday()
        if working:
            calendar_weekday: int | None = weekday if weekday < 5 else MONDAY
        else:
            calendar_weekday = None
        return cls(
            day=day,
            working_day=working,
            holiday=is_public_holiday(day),
            calendar_weekday=calendar_weekday,
            weekly_weekday=weekday,
        )

    def weekday_for(self, calendar: str, closed_on_holidays: bool) -> int | None:
        """The weekday whose hours apply for an outlet with this calendar, or None if closed."""
        if calendar == "working_days":
            return self.calendar_weekday
        if self.holiday and closed_on_holidays:
            return None
        return self.weekly_weekday
