import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.notifications import services
from portal.notifications.models import Channel, Notification, Status
from portal.notifications.services import OutgoingMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sms_is_delivered_after_commit_by_the_outbox(django_capture_on_commit_callbacks):
    user = UserFactory(mobile="13900000011")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = services.send(
            channel="sms", subject="办件受理", body="您的办件已受理", recipient=user, key="send:1"
        )
        assert notification.status == Status.QUEUED
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.address == "13900000011"
    assert notification.attempts == 1
    assert notification.sent_at is not None


def test_nothing_is_delivered_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        services.send(channel="sms", subject="x", address="13900000012", key="send:2", body="正文")
    # The callback is registered for commit; without running it the message stays queued.
    assert Notification.objects.get().status == Status.QUEUED
    assert len(callbacks) == 1


def test_same_key_sends_only_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = services.send(
            channel="sms", subject="a", recipient=user, key="case-1-accepted", body="正文"
        )
        second = services.send(
            channel="sms", subject="b", recipient=user, key="case-1-accepted", body="正文"
        )
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert Notification.objects.get().subject == "a"
    assert len(callbacks) == 1


def test_inbox_message_is_stored_as_sent_without_a_task(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        notification = services.send(
            channel="inbox", subject="欢迎", recipient=user, link="/", key="send:3", body="正文"
        )
    assert callbacks == []
    assert notification.status == Status.SENT
    assert notification.is_unread


def test_mail_goes_through_djangos_mail_backend(django_capture_on_commit_callbacks):
    user = UserFactory(email="zhang@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        services.send(
            channel="mail",
            subject="结果通知",
            body="已办结",
            recipient=user,
            link="/x/",
            key="send:4",
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhang@example.cn"]
    assert "/x/" in mail.outbox[0].body
    assert Notification.objects.get().status == Status.SENT


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"channel": "inbox", "subject": "x", "body": "y", "key": "k"}, "recipient"),
        ({"channel": "sms", "subject": "x", "body": "y", "key": "k"}, "no address"),
        (
            {"channel": "fax", "subject": "x", "body": "y", "address": "1", "key": "k"},
            "Unknown channel",
        ),
        # the certificate notice once came with nothing but a subject
        (
            {"channel": "inbox", "subject": "新证已签发", "body": "", "key": "k"},
            "“新证已签发” has no text",
        ),
        ({"channel": "sms", "subject": "x", "body": " \n ", "address": "1", "key": "k"}, "no text"),
        (
            {"channel": "sms", "subject": "x", "body": "y", "address": "1", "key": ""},
            "key of the event",
        ),
    ],
)
def test_refuses_a_message_that_cannot_be_delivered(kwargs, message):
    with pytest.raises(ValidationError) as excinfo, translation.override("en"):
        services.send(**kwargs)
    assert message in str(excinfo.value)
    assert not Notification.objects.exists()


def test_channels_cover_the_four_the_portal_needs():
    assert set(Channel.values) == {"inbox", "sms", "wechat", "mail"}


def test_an_empty_body_is_refused_in_a_batch_too_and_nothing_is_stored():
    user = UserFactory()
    with pytest.raises(ValidationError) as excinfo, translation.override("zh-hans"):
        services.send_bulk(
            [
                OutgoingMessage(
                    channel="inbox", subject="有话", body="正文", recipient=user, key="a"
                ),
                OutgoingMessage(channel="inbox", subject="无话", body="", recipient=user, key="b"),
            ]
        )
    assert "“无话”没有正文" in str(excinfo.value)
    assert not Notification.objects.exists()


def test_the_table_refuses_an_empty_body_or_key_whoever_writes_it():
    """The rules hold in the table too (a CHECK constraint), not only in send()."""
    from django.db import IntegrityError, transaction

    user = UserFactory()
    for fields in ({"body": "", "key": "x1"}, {"body": "正文", "key": ""}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Notification.objects.create(channel="inbox", recipient=user, subject="s", **fields)


def test_a_double_signal_sends_each_channel_once(django_capture_on_commit_callbacks, monkeypatch):
    """The same event told twice (a retried task, a signal received twice): one message per
    channel, one delivery."""
    from portal.notifications.services import to_person

    delivered = []
    monkeypatch.setattr(
        "portal.notifications.backends.OutboxBackend.send", lambda self, n: delivered.append(n.pk)
    )
    user = UserFactory()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            services.send_bulk(
                to_person(
                    user=user,
                    mobile="13900000013",
                    subject="办件已受理",
                    body="您的办件已受理。",
                    key="case-log-7",
                )
            )
    assert sorted(Notification.objects.values_list("key", flat=True)) == [
        "case-log-7:inbox",
        "case-log-7:sms",
    ]
    assert len(delivered) == 1  # the SMS; the inbox needs no delivery
