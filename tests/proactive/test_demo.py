"""The demo: every one of the 20 pilot items has live offers; loading twice changes nothing."""

import io

import pytest
from django.core.management import call_command

from approvals.proactive.models import Certificate, Company, Offer, ProactiveRule
from portal.accounts.models import User
from portal.notifications.models import Notification


@pytest.fixture
def demo(db):
    call_command("load_demo", only=["catalogue", "accounts", "proactive"], stdout=io.StringIO())


def test_every_pilot_item_has_live_offers(demo):
    from portal.catalogue.models import ServiceItem

    items = set(ServiceItem.objects.filter(proactive=True).values_list("pk", flat=True))
    # the 20 company pilot items and 3 for people holding certificates in their own name
    # (ADR 0111: health certificate, nurse's registration, road transport qualification)
    assert len(items) == 23
    live = set(
        Offer.objects.filter(status__in=["created", "sent", "opened"]).values_list(
            "item_id", flat=True
        )
    )
    assert live == items
    assert ProactiveRule.objects.filter(active=True).count() == 23
    assert set(ProactiveRule.objects.values_list("trigger", flat=True)) == {
        "licence_change",
        "expiry",
    }
    rep = User.objects.get(username="company_rep")
    assert rep.check_password("demo12345") and rep.mobile
    assert Notification.objects.filter(recipient=rep, channel="inbox").exists()
    company = Company.objects.get(name="青岛海岳建设工程有限公司")
    assert company.certificates.get().grade == "三级"


def test_loading_twice_changes_nothing(demo):
    counts = (
        Company.objects.count(),
        Certificate.objects.count(),
        Offer.objects.count(),
        Notification.objects.count(),
    )
    call_command("load_demo", only=["proactive"], stdout=io.StringIO())
    assert counts == (
        Company.objects.count(),
        Certificate.objects.count(),
        Offer.objects.count(),
        Notification.objects.count(),
    )


def test_the_representatives_case_has_a_demo_reviewer(demo):
    """Whoever tries the demo can take the case the representative confirms through review:
    staff of the department that handles the construction company's change item."""
    reviewer = User.objects.get(username="housing_staff")
    assert reviewer.check_password("demo12345") and reviewer.is_staff
    rep_offers = Offer.objects.filter(company__name="青岛海岳建设工程有限公司")
    assert rep_offers.exists()
    assert {o.item.department_id for o in rep_offers} == {reviewer.department_id}
    assert reviewer.role == "department_staff"
