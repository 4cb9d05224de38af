"""What the holder is told on the way from an offer to a new certificate (issue 14 point 5: six
messages within a minute, one of them empty, and a raw signed link in the inbox)."""

from collections import Counter

from approvals.proactive.services.certificates import notify_certificate_issued
from approvals.services.steps import notify_applicant
from portal.notifications.models import Notification
from portal.workflow.models import WorkflowLog

from .conftest import event
from .flow import approved
from .helpers import post_events


def _holders(world):
    mine = Notification.objects.filter(recipient=world.rep_user) | Notification.objects.filter(
        address="13953200001"
    )
    return list(mine.exclude(key__startswith="one-time-code:").order_by("pk"))


def test_one_message_per_event_and_channel_none_empty(
    world, market_client, django_capture_on_commit_callbacks, dev_courier
):
    offer, case = approved(world, market_client, django_capture_on_commit_callbacks)
    messages = _holders(world)
    assert all(m.body.strip() for m in messages)
    per_event = Counter(m.key.rsplit(":", 1)[0] for m in messages)
    assert set(per_event.values()) == {2}, per_event  # each event: inbox and SMS, once
    # the certificate's notice is the case's result, not a "result issued" on top of it
    [issued] = [m for m in messages if m.key == f"case-{case.pk}-result:inbox"]
    assert offer.new_certificate.number in issued.body
    assert issued.action == "view_certificate"
    assert not [m for m in messages if "出具" in m.subject or "issued" in m.subject.lower()][1:]

    # told again (a retried task, a signal received twice): nothing new is stored or sent
    before = Notification.objects.count()
    result = WorkflowLog.objects.get(workflow="case", object_id=case.pk, step="issue_result")
    with django_capture_on_commit_callbacks(execute=True):
        notify_certificate_issued(offer.new_certificate.pk)
        notify_applicant(case, result)
    assert Notification.objects.count() == before


def _offer_sent(world, market_client, capture) -> tuple[Notification, Notification]:
    """A licence event whose offer goes out: the holder's inbox message and its SMS twin."""
    with capture(execute=True):
        post_events(market_client, [event(uscc=world.company.uscc)])
    inbox = Notification.objects.get(recipient=world.rep_user, channel="inbox")
    return inbox, Notification.objects.get(key=inbox.key.replace(":inbox", ":sms"))


def test_the_inbox_shows_text_and_a_button_not_the_signed_link(
    world, market_client, django_capture_on_commit_callbacks, client
):
    inbox, sms = _offer_sent(world, market_client, django_capture_on_commit_callbacks)
    assert inbox.link in sms.body  # the SMS carries the link
    assert "http" not in inbox.body
    client.force_login(world.rep_user)
    page = client.get("/inbox/").content.decode()
    main = page.split('<main id="main"')[1]
    assert "http" not in main
    assert "查看并确认" in main
    assert "1 条未读消息" in page  # the header's badge


def test_the_offer_reads_in_english_in_an_english_inbox_and_in_chinese_by_sms(
    world, market_client, django_capture_on_commit_callbacks, client
):
    _inbox, sms = _offer_sent(world, market_client, django_capture_on_commit_callbacks)
    assert "是否需要" in sms.subject and "Do you want" not in sms.body
    client.force_login(world.rep_user)
    main = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    main = main.split('<main id="main"')[1]
    assert "Do you want" in main and "with the button below" in main
    assert "Review and confirm" in main
    assert "是否需要" not in main
