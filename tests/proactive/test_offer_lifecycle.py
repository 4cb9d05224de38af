"""Offers: sent to every contact over their channels, reminded once, lapse after the deadline,
the company can decline; signed links expire."""

import datetime
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone

from approvals.proactive import services
from approvals.proactive.models import Offer
from portal.notifications.models import Notification

from .conftest import event
from .helpers import path_of, post_events, verify_identity


@pytest.fixture
def make_offer(world, market_client, django_capture_on_commit_callbacks):
    def make():
        with django_capture_on_commit_callbacks(execute=True):
            post_events(market_client, [event(uscc=world.company.uscc)])
        return Offer.objects.get()

    return make


def test_offer_goes_to_every_contact_over_every_channel(world, make_offer):
    make_offer()
    sent = set(Notification.objects.values_list("channel", "address"))
    assert ("sms", "13953200001") in sent and ("wechat", world.rep.wechat_id) in sent
    assert ("sms", "13953200002") in sent and ("mail", "lina@example.cn") in sent
    assert ("sms", "13953200003") in sent
    assert Notification.objects.filter(channel="inbox", recipient=world.rep_user).count() == 1
    # the link is personal: each contact's link names that contact
    links = {n.address: n.link for n in Notification.objects.filter(channel="sms")}
    assert len(set(links.values())) == 3
    # sending again sends nothing new
    assert services.send_offers([Offer.objects.get().pk]) == 0


def test_reminder_once_after_the_rule_delay(world, make_offer):
    offer = make_offer()
    before = Notification.objects.count()
    assert services.send_reminders() == 0  # too early
    later = timezone.now() + datetime.timedelta(days=8)
    assert services.send_reminders(now=later) == before
    assert services.send_reminders(now=later) == 0
    offer.refresh_from_db()
    assert offer.reminded_at is not None
    assert Notification.objects.filter(subject__startswith="提醒").count() == before


def test_lapse_after_the_deadline_in_one_update(world, make_offer, django_assert_max_num_queries):
    offer = make_offer()
    assert services.lapse_offers(today=offer.deadline) == 0
    with django_assert_max_num_queries(6):
        assert services.lapse_offers(today=offer.deadline + datetime.timedelta(days=1)) == 1
    offer.refresh_from_db()
    assert offer.status == "lapsed"
    page = Client().get(path_of(Notification.objects.filter(channel="inbox").get().link))
    assert "已过答复期限" in page.content.decode()


def test_company_can_decline(world, make_offer):
    make_offer()
    link = path_of(Notification.objects.get(channel="inbox").link)
    visitor = Client()
    response = verify_identity(visitor, link, "13953200001")
    response = visitor.post(response["Location"], {"action": "decline", "reason": "handled"})
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.status, offer.decline_reason) == ("declined", "handled")
    assert "您已谢绝" in visitor.get(response["Location"]).content.decode()


def test_signed_link_expires(world, make_offer):
    make_offer()
    link = path_of(Notification.objects.get(channel="inbox").link)
    assert Client().get(link).status_code == 200
    in_31_days = timezone.now().timestamp() + 31 * 86400
    with mock.patch("django.core.signing.time.time", return_value=in_31_days):
        response = Client().get(link)
    assert response.status_code == 410
    assert "链接已过期" in response.content.decode()


def test_tampered_link_is_not_found(world, make_offer):
    make_offer()
    link = path_of(Notification.objects.get(channel="inbox").link)
    assert Client().get(link[:-3] + "xx/").status_code == 404


def test_offer_transitions_are_logged(world, make_offer):
    from portal.workflow.models import WorkflowLog

    offer = make_offer()
    link = path_of(Notification.objects.get(channel="inbox").link)
    Client().get(link)
    states = list(
        WorkflowLog.objects.filter(workflow="offer", object_id=offer.pk).values_list(
            "step", "source", "target", "by"
        )
    )
    assert states == [
        ("send", "created", "sent", None),
        ("open", "sent", "opened", world.rep_user.pk),
    ]
