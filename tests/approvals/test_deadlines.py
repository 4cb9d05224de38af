"""Deadlines in working days, the pause while the applicant corrects, and the daily scan."""

import datetime

from django.utils import timezone

from approvals import services
from approvals.models import Case, Status
from portal.notifications.models import Notification

from .factories import material
from .helpers import act, apply


def test_due_date_counts_working_days_across_the_national_day_holiday(world, on_day):
    # Accepted on Monday 28 September 2026; 1-7 October are holidays, Sat 10 Oct is a working
    # day (调休) in the 2026 calendar where it applies; 5 working days from 28 Sep land after it.
    from portal.workdays import add_working_days

    on_day(datetime.date(2026, 9, 28))
    case = apply(world, point=world.shinan_hall)
    act(case, "accept", world.shinan_staff)
    case.refresh_from_db()
    assert case.accepted_on == datetime.date(2026, 9, 28)
    assert case.due_on == add_working_days(datetime.date(2026, 9, 28), 5)
    assert case.due_on > datetime.date(2026, 10, 7)


def test_due_date_skips_the_weekend(world, on_day):
    on_day(datetime.date(2026, 11, 20))  # a Friday
    world.item.promised_limit_days = 1
    world.item.save()
    case = apply(world, point=world.shinan_hall)
    act(case, "accept", world.shinan_staff)
    case.refresh_from_db()
    assert case.due_on == datetime.date(2026, 11, 23)  # Monday


def test_the_clock_pauses_while_the_applicant_corrects(world, on_day):
    on_day(datetime.date(2026, 11, 2))  # Monday
    case = apply(world, point=world.shinan_hall)
    act(case, "accept", world.shinan_staff)
    act(case, "start_review", world.dept_staff)
    case.refresh_from_db()
    assert case.due_on == datetime.date(2026, 11, 9)

    on_day(datetime.date(2026, 11, 4))  # Wednesday: returned
    act(case, "return_for_correction", world.dept_staff, reasons="缺少经营场所平面图")
    case.refresh_from_db()
    assert case.status == Status.RETURNED_FOR_CORRECTION and case.paused_on

    # a returned case is never overdue, however long the applicant takes
    services.scan_deadlines(datetime.date(2026, 11, 20))
    assert not Case.objects.get(pk=case.pk).overdue

    on_day(datetime.date(2026, 11, 11))  # the next Wednesday: resubmitted, 5 working days later
    act(case, "resubmit", world.citizen)
    case.refresh_from_db()
    assert case.status == Status.UNDER_REVIEW
    assert case.paused_on is None and case.paused_days == 5
    assert case.due_on == datetime.date(2026, 11, 16)  # 9 Nov + 5 working days


def test_missing_materials_deadline(world, on_day):
    on_day(datetime.date(2026, 11, 2))
    world.item.missing_materials_allowed = True
    world.item.save()
    material(world.item, "场地使用证明")
    case = apply(world, point=world.shinan_hall)
    act(case, "accept_with_missing_materials", world.shinan_staff)
    case.refresh_from_db()
    assert case.materials_due_on == datetime.date(2026, 11, 9)  # 5 working days by default
    on_day(datetime.date(2026, 11, 10))
    assert case.materials_overdue


def test_daily_scan_flags_overdue_cases_in_sql(world, django_assert_max_num_queries):
    today = datetime.date(2026, 11, 24)
    cases = [apply(world, point=world.shinan_hall) for _ in range(6)]
    rows = [
        (Status.UNDER_REVIEW, today - datetime.timedelta(days=3)),  # overdue
        (Status.ACCEPTED, today - datetime.timedelta(days=1)),  # overdue
        (Status.UNDER_REVIEW, today),  # due today: not overdue yet
        (Status.RETURNED_FOR_CORRECTION, today - datetime.timedelta(days=9)),  # paused
        (Status.CLOSED, today - datetime.timedelta(days=9)),  # finished
        (Status.UNDER_REVIEW, today + datetime.timedelta(days=1)),  # due soon: reminder
    ]
    for case, (status, due) in zip(cases, rows, strict=True):
        Case.objects.filter(pk=case.pk).update(status=status, due_on=due)
    with django_assert_max_num_queries(12):
        result = services.scan_deadlines(today)
    flagged = set(Case.objects.filter(overdue=True).values_list("pk", flat=True))
    assert flagged == {cases[0].pk, cases[1].pk}
    assert result["marked_overdue"] == 2
    reminder = Notification.objects.get(recipient=world.dept_staff)
    assert "2" in reminder.subject
    # running again the same day changes nothing and sends nothing twice
    again = services.scan_deadlines(today)
    assert again["marked_overdue"] == 0
    assert Notification.objects.filter(recipient=world.dept_staff).count() == 1


def test_overdue_flag_clears_when_the_case_is_finished(world):
    today = datetime.date(2026, 11, 24)
    case = apply(world, point=world.shinan_hall)
    Case.objects.filter(pk=case.pk).update(status=Status.UNDER_REVIEW, due_on=today.replace(day=1))
    services.scan_deadlines(today)
    assert Case.objects.get(pk=case.pk).overdue
    Case.objects.filter(pk=case.pk).update(status=Status.WITHDRAWN)
    services.scan_deadlines(today)
    assert not Case.objects.get(pk=case.pk).overdue


def test_overdue_cases_are_listed_first_for_the_department(world, client):
    today = timezone.localdate()
    late = apply(world, point=world.shinan_hall)
    later = apply(world, point=world.shinan_hall)
    Case.objects.filter(pk=late.pk).update(
        status=Status.UNDER_REVIEW, due_on=today - datetime.timedelta(days=10)
    )
    Case.objects.filter(pk=later.pk).update(
        status=Status.UNDER_REVIEW, due_on=today + datetime.timedelta(days=10)
    )
    services.scan_deadlines(today)
    client.force_login(world.dept_staff)
    page = client.get("/cases/staff/").content.decode()
    assert page.index(late.reference) < page.index(later.reference)
    only = client.get("/cases/staff/", {"overdue": "on"}).content.decode()
    assert late.reference in only and later.reference not in only


def test_daily_schedule_exists(db):
    from django_q.models import Schedule

    schedule = Schedule.objects.get(func="approvals.tasks.daily_deadlines")
    assert schedule.schedule_type == Schedule.CRON and schedule.repeats == -1
    assert schedule.cron == "30 1 * * *"  # 01:30 Beijing time
