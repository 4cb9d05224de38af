"""django-q2's schedules come from the apps' declarations (portal.schedules), synced after every
migrate: created when missing, corrected when changed, removed when no app declares them."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_q.models import Schedule

from portal import schedules

pytestmark = pytest.mark.django_db

EXPECTED = {
    "accounts: purge old one-time codes": ("portal.accounts.tasks.purge_codes", "0 3 * * *", None),
    "approvals: daily deadlines": ("approvals.tasks.daily_deadlines", "30 1 * * *", None),
    "legal_aid.daily": ("legal_aid.tasks.daily", "30 7 * * *", None),
    "notifications: requeue stale messages": (
        "portal.notifications.tasks.requeue_stale",
        None,
        10,
    ),
    "proactive-daily": ("approvals.proactive.tasks.daily", "30 6 * * *", None),
    # courier orders due (placed, or tried again after the courier was down): every minute
    "proactive-courier-orders": ("approvals.proactive.tasks.place_due_courier_orders", None, 1),
    # offers whose send task was lost with a worker (issue 19, drill 2): every minute
    "proactive-send-stale": ("approvals.proactive.tasks.send_stale_offers", None, 1),
    # files kept from application forms sent back with errors: removed after a day
    "uploads: purge kept files": ("portal.uploads.purge_expired_drafts", None, 60),
    "ratings: remind departments of overdue follow-ups": (
        "portal.ratings.tasks.remind_overdue",
        "0 8 * * *",
        None,
    ),
}


def stored() -> dict[str, tuple]:
    return {s.name: (s.func, s.cron, s.minutes) for s in Schedule.objects.all()}


def test_migrate_leaves_exactly_the_declared_schedules():
    assert stored() == EXPECTED
    assert all(s.repeats == -1 and s.next_run for s in Schedule.objects.all())
    cron = Schedule.objects.get(name="legal_aid.daily")
    assert cron.schedule_type == Schedule.CRON
    assert cron.next_run.astimezone(timezone.get_current_timezone()).strftime("%H:%M") == "07:30"


def test_a_second_sync_changes_nothing():
    before = list(Schedule.objects.values())
    result = schedules.sync()
    assert (result.created, result.updated, result.removed) == ([], [], [])
    assert list(Schedule.objects.values()) == before


def test_sync_corrects_a_changed_schedule_and_removes_an_undeclared_one():
    Schedule.objects.filter(name="legal_aid.daily").update(
        cron="0 0 * * *", next_run=timezone.now()
    )
    Schedule.objects.filter(name="notifications: requeue stale messages").delete()
    Schedule.objects.create(name="old: gone", func="approvals.tasks.gone", schedule_type="D")
    by_hand = Schedule.objects.create(name="by hand", func="math.floor", schedule_type="D")

    out = StringIO()
    call_command("sync_schedules", stdout=out)

    assert stored() == {**EXPECTED, "by hand": ("math.floor", None, None)}
    moved = Schedule.objects.get(name="legal_aid.daily")
    assert moved.next_run.astimezone(timezone.get_current_timezone()).strftime("%H:%M") == "07:30"
    assert Schedule.objects.filter(pk=by_hand.pk).exists()  # not one of the portal's functions
    assert out.getvalue().splitlines() == [
        "created: notifications: requeue stale messages",
        "updated: legal_aid.daily",
        "removed: old: gone",
    ]


def test_a_declaration_names_one_timing_and_one_of_the_portals_functions():
    with pytest.raises(ValueError, match="either cron or minutes"):
        schedules.declare("x", "portal.tasks.x")
    with pytest.raises(ValueError, match="either cron or minutes"):
        schedules.declare("x", "portal.tasks.x", cron="* * * * *", minutes=5)
    with pytest.raises(ValueError, match="not one of the portal's task functions"):
        schedules.declare("x", "math.floor", minutes=5)
    with pytest.raises(ValueError, match="declared twice"):
        schedules.declare("legal_aid.daily", "legal_aid.tasks.daily", cron="0 1 * * *")
    assert "x" not in {d.name for d in schedules.declared()}
