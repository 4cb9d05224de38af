"""Open now: government halls follow the official working-day calendar, banks their weekly
hours with public holidays off (as data), and the decision is made in SQL."""

import datetime

import pytest

from outlets import selectors
from outlets.hours import DayRule, is_public_holiday
from outlets.models import Outlet

from .factories import BankOutletFactory, OutletFactory, weekday_hours

pytestmark = pytest.mark.django_db

THU_NATIONAL_DAY = datetime.date(2026, 10, 1)
SAT_NATIONAL_DAY = datetime.date(2026, 10, 3)
SAT_ADJUSTED_WORKDAY = datetime.date(2026, 10, 10)
SAT_ORDINARY = datetime.date(2026, 10, 17)
TUE_ORDINARY = datetime.date(2026, 10, 13)


def at(day: datetime.date, hh: int, mm: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hh, mm))


def open_codes(now: datetime.datetime) -> set[str]:
    return set(
        selectors.with_open_now(Outlet.objects.all(), now)
        .filter(open_now=True)
        .values_list("code", flat=True)
    )


@pytest.fixture
def outlets():
    hall = OutletFactory(code="HALL")
    weekday_hours(hall)
    bank = BankOutletFactory(code="BANK", closed_on_holidays=True)
    weekday_hours(bank, days=range(7), sessions=(("09:00", "17:00"),))
    always = BankOutletFactory(code="ALWAYS", closed_on_holidays=False)
    weekday_hours(always, days=range(7), sessions=(("08:30", "17:30"),))
    weekdays_bank = BankOutletFactory(code="WEEKDAYS")
    weekday_hours(weekdays_bank, days=range(5), sessions=(("09:00", "17:00"),))
    return hall, bank, always, weekdays_bank


def test_public_holidays_are_told_from_ordinary_weekends():
    assert is_public_holiday(THU_NATIONAL_DAY)
    assert is_public_holiday(SAT_NATIONAL_DAY)
    assert not is_public_holiday(SAT_ORDINARY)
    assert not is_public_holiday(SAT_ADJUSTED_WORKDAY)
    assert not is_public_holiday(TUE_ORDINARY)


def test_adjusted_working_day_uses_mondays_hours():
    rule = DayRule.for_day(SAT_ADJUSTED_WORKDAY)
    assert rule.working_day and rule.calendar_weekday == 0
    assert DayRule.for_day(SAT_ORDINARY).calendar_weekday is None


def test_ordinary_tuesday_morning_everyone_open(outlets):
    assert open_codes(at(TUE_ORDINARY, 10)) == {"HALL", "BANK", "ALWAYS", "WEEKDAYS"}


def test_lunch_break_closes_the_hall_only(outlets):
    assert open_codes(at(TUE_ORDINARY, 12, 30)) == {"BANK", "ALWAYS", "WEEKDAYS"}


def test_closing_time_is_exclusive(outlets):
    assert "HALL" not in open_codes(at(TUE_ORDINARY, 17))
    assert "HALL" in open_codes(at(TUE_ORDINARY, 16, 59))


def test_national_day_only_the_bank_open_on_holidays(outlets):
    assert open_codes(at(THU_NATIONAL_DAY, 10)) == {"ALWAYS"}
    assert open_codes(at(SAT_NATIONAL_DAY, 10)) == {"ALWAYS"}


def test_ordinary_saturday_banks_with_weekend_hours_open(outlets):
    assert open_codes(at(SAT_ORDINARY, 10)) == {"BANK", "ALWAYS"}


def test_adjusted_working_saturday_the_hall_opens(outlets):
    assert "HALL" in open_codes(at(SAT_ADJUSTED_WORKDAY, 10))


def test_temporarily_closed_outlet_is_never_open(outlets):
    Outlet.objects.filter(code="ALWAYS").update(status="temporarily_closed")
    assert "ALWAYS" not in open_codes(at(TUE_ORDINARY, 10))


def test_hours_today_shows_both_sessions_or_none(outlets):
    hall = outlets[0]
    rows = list(hall.opening_hours.all())
    assert len(selectors.hours_today(hall, rows, TUE_ORDINARY)) == 2
    assert selectors.hours_today(hall, rows, THU_NATIONAL_DAY) == []
    assert len(selectors.hours_today(hall, rows, SAT_ADJUSTED_WORKDAY)) == 2
