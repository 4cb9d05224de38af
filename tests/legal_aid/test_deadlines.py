"""Time limits: natural days (the law says 日, not 工作日), the last day moved to the next
working day when it is a rest day (docs/adr/0060); urgency (article 44); overdue flags."""

import datetime

import pytest
from django.utils import timezone

from legal_aid import deadlines, selectors
from legal_aid.models import LegalAidApplication, State

from . import factories as f

pytestmark = pytest.mark.django_db


def test_decision_is_due_seven_natural_days_after_receipt():
    # Monday 2025-03-03 + 7 days = Monday 2025-03-10 (a working day)
    assert deadlines.decision_due(datetime.date(2025, 3, 3)) == datetime.date(2025, 3, 10)


def test_a_deadline_on_a_weekend_moves_to_the_next_working_day():
    # Wednesday 2025-03-05 + 3 days = Saturday 2025-03-08 -> Monday 2025-03-10
    assert deadlines.assignment_due(datetime.date(2025, 3, 5)) == datetime.date(2025, 3, 10)


def test_a_deadline_in_the_national_day_holiday_moves_past_it():
    # 2025-09-26 + 5 days = 2025-10-01 (holiday until 8 October) -> 9 October
    assert deadlines.objection_due(datetime.date(2025, 9, 26)) == datetime.date(2025, 10, 9)


def test_the_days_are_not_working_days():
    # a working-day count would give 2025-03-12 for seven working days after 2025-03-03
    assert deadlines.decision_due(datetime.date(2025, 3, 3)) != datetime.date(2025, 3, 12)


@pytest.mark.parametrize(
    ("days_left", "urgent"), [(0, True), (3, True), (6, True), (7, False), (30, False), (-1, False)]
)
def test_urgent_when_fewer_than_seven_days_are_left(days_left, urgent):
    today = datetime.date(2025, 6, 2)
    ends = today + datetime.timedelta(days=days_left)
    assert deadlines.limitation_is_urgent(ends, today) is urgent


def test_a_submitted_application_gets_its_decision_date(citizen):
    app = f.submit(citizen)
    assert app.decision_due == deadlines.decision_due(timezone.localdate())


def test_a_limitation_date_within_seven_days_makes_the_application_urgent(citizen):
    soon = timezone.localdate() + datetime.timedelta(days=3)
    app = f.submit(citizen, limitation_ends=soon)
    assert app.urgency == "limitation"


def test_granting_sets_the_assignment_date(citizen, laixi_staff):
    from legal_aid.services import take

    app = f.submit(citizen)
    take(app.reference, "start_review", laixi_staff)
    app = take(app.reference, "grant", laixi_staff)
    assert app.assignment_due == deadlines.assignment_due(timezone.localdate())


def test_time_spent_on_materials_does_not_count(citizen, laixi_staff):
    from legal_aid.services import take

    app = f.submit(citizen)
    take(app.reference, "start_review", laixi_staff)
    take(app.reference, "request_materials", laixi_staff, items=["劳动合同"], days=10)
    requested = timezone.now() - datetime.timedelta(days=4)
    LegalAidApplication.objects.filter(pk=app.pk).update(materials_requested_at=requested)
    before = LegalAidApplication.objects.get(pk=app.pk).decision_due
    app = take(app.reference, "supply_materials", citizen, note="已补充")
    assert app.decision_due == deadlines.legal_due(before, 4)


def test_overdue_flags(citizen):
    app = f.submit(citizen)
    LegalAidApplication.objects.filter(pk=app.pk).update(decision_due=f.days_ago(1))
    flagged = selectors.with_overdue(LegalAidApplication.objects.all()).get(pk=app.pk)
    assert flagged.is_overdue
    LegalAidApplication.objects.filter(pk=app.pk).update(decision_due=f.days_ago(-1))
    assert not selectors.with_overdue(LegalAidApplication.objects.all()).get(pk=app.pk).is_overdue


def test_a_decided_application_is_not_overdue_for_a_decision(citizen):
    app = f.submit(citizen)
    LegalAidApplication.objects.filter(pk=app.pk).update(
        decision_due=f.days_ago(3), state=State.REFUSED
    )
    assert not LegalAidApplication.objects.filter(selectors.overdue_q()).exists()
