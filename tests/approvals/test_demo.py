"""The demo data: every state, several channels and departments, hand-offs between cities,
overdue and rated cases; a second run changes nothing."""

import io

from django.core.management import call_command

from approvals.models import AcceptancePoint, Case, HandOff, PointStaff, Status


def test_demo_is_complete_and_idempotent(db):
    call_command("load_demo", only=["catalogue", "accounts", "approvals"], stdout=io.StringIO())
    counts = (Case.objects.count(), HandOff.objects.count(), AcceptancePoint.objects.count())
    assert set(Case.objects.values_list("status", flat=True)) == set(Status.values)
    assert {"online", "service_hall", "self_service", "mobile"} <= set(
        Case.objects.values_list("channel", flat=True)
    )
    assert Case.objects.values("department").distinct().count() >= 5
    assert Case.objects.filter(overdue=True).exists()
    assert HandOff.objects.filter(from_point__region_id="370600").exists()
    assert PointStaff.objects.filter(
        user__username="yantai_staff", point__region_id="370600"
    ).exists()
    from portal.ratings.models import Rating

    assert Rating.objects.exists()

    call_command("load_demo", only=["approvals"], stdout=io.StringIO())
    assert (
        Case.objects.count(),
        HandOff.objects.count(),
        AcceptancePoint.objects.count(),
    ) == counts
