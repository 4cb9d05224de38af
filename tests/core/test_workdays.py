import datetime

import pytest

from portal import workdays
from portal.models import CalendarDay
from portal.workdays import add_working_days, is_working_day, working_days_between

D = datetime.date
pytestmark = pytest.mark.django_db


# --- National Day 2026: 1-7 October off; Sunday 20 September and Saturday 10 October worked ----


@pytest.mark.parametrize("day", [D(2026, 10, d) for d in range(1, 8)])
def test_national_day_week_2026_is_off(day):
    assert not is_working_day(day)


def test_national_day_adjusted_working_days_2026():
    assert is_working_day(D(2026, 9, 20))  # Sunday
    assert is_working_day(D(2026, 10, 10))  # Saturday


def test_counting_across_national_day():
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 29), 2) == D(2026, 10, 8)
    # Friday 9 October, then the adjusted Saturday 10 October.
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert add_working_days(D(2026, 10, 9), 2) == D(2026, 10, 12)
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 8)) == 1


# --- Spring Festival 2026: 15-23 February off; Saturdays 14 and 28 February worked -------------


def test_spring_festival_2026():
    assert is_working_day(D(2026, 2, 14))  # Saturday, worked
    assert all(not is_working_day(D(2026, 2, d)) for d in range(15, 24))
    assert is_working_day(D(2026, 2, 24))
    assert is_working_day(D(2026, 2, 28))  # Saturday, worked
    assert not is_working_day(D(2026, 3, 1))  # an ordinary Sunday


def test_counting_across_spring_festival():
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 13), 5) == D(2026, 2, 27)
    assert add_working_days(D(2026, 2, 27), 1) == D(2026, 2, 28)
    assert working_days_between(D(2026, 2, 13), D(2026, 2, 28)) == 6


# --- Counting rules -----------------------------------------------------------------------------


def test_counting_starts_the_day_after():
    friday = D(2026, 11, 20)
    assert add_working_days(friday, 1) == D(2026, 11, 23)  # Monday
    assert add_working_days(D(2026, 11, 23), 1) == D(2026, 11, 24)
    assert add_working_days(D(2026, 11, 23), 5) == D(2026, 11, 30)


def test_zero_days_is_the_start_and_negative_counts_back():
    assert add_working_days(D(2026, 11, 21), 0) == D(2026, 11, 21)
    assert add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)


def test_datetimes_are_taken_as_their_date():
    assert add_working_days(datetime.datetime(2026, 9, 30, 16, 30), 1) == D(2026, 10, 8)
    assert is_working_day(datetime.datetime(2026, 10, 1, 9, 0)) is False


def test_working_days_between_is_zero_backwards():
    assert working_days_between(D(2026, 10, 8), D(2026, 9, 30)) == 0


# --- A year the library does not cover: weekends and fixed-date holidays only ------------------


def test_uncovered_year_falls_back_to_weekends_and_fixed_holidays():
    assert not is_working_day(D(2030, 10, 1))  # Tuesday, National Day
    assert not is_working_day(D(2030, 10, 3))
    assert is_working_day(D(2030, 10, 4))  # Friday: no adjustment known
    assert not is_working_day(D(2030, 5, 1))
    assert not is_working_day(D(2030, 1, 1))
    assert not is_working_day(D(2030, 3, 2))  # Saturday
    assert is_working_day(D(2030, 3, 4))  # Monday
    assert add_working_days(D(2030, 9, 30), 1) == D(2030, 10, 4)


# --- Staff corrections win ------------------------------------------------------------------------


def test_corrections_take_precedence_over_the_library():
    CalendarDay.objects.create(date=D(2026, 10, 8), is_working_day=False, name="临时调整")
    CalendarDay.objects.create(date=D(2026, 10, 4), is_working_day=True, name="临时调整")
    assert not is_working_day(D(2026, 10, 8))
    assert is_working_day(D(2026, 10, 4))
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 4)


def test_corrections_cover_a_year_the_library_does_not_know():
    CalendarDay.objects.create(date=D(2030, 2, 4), is_working_day=False, name="春节")
    CalendarDay.objects.create(date=D(2030, 2, 9), is_working_day=True, name="春节调休")
    assert not is_working_day(D(2030, 2, 4))
    assert is_working_day(D(2030, 2, 9))  # Saturday


def test_a_correction_saved_in_the_admin_applies_at_once():
    assert is_working_day(D(2026, 12, 1))
    CalendarDay.objects.create(date=D(2026, 12, 1), is_working_day=False)
    assert not is_working_day(D(2026, 12, 1))


def test_a_correction_made_by_another_process_arrives_within_the_ttl(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(workdays.time, "monotonic", lambda: clock[0])
    day = CalendarDay.objects.create(date=D(2026, 12, 2), is_working_day=False)
    assert not is_working_day(D(2026, 12, 2))
    # Another worker process changes it: no signal reaches this process.
    CalendarDay.objects.filter(pk=day.pk).update(is_working_day=True)
    assert not is_working_day(D(2026, 12, 2))
    clock[0] += workdays.CORRECTIONS_TTL + 1
    assert is_working_day(D(2026, 12, 2))


def test_corrections_are_read_once(django_assert_num_queries):
    workdays.clear_cache()
    with django_assert_num_queries(1):
        add_working_days(D(2026, 1, 1), 250)
