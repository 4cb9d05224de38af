import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.notifications import services
from portal.notifications.models import Channel, Notification, Status
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sms_is_delivered_after_commit_by_the_outbox(django_capture_on_commit_callbacks):
    user = UserFactory(mobile="13900000011")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notification = services.send(
            channel="sms", subject="办件受理", body="您的办件已受理", recipient=user
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
        services.send(channel="sms", subject="x", address="13900000012")
    # The callback is registered for commit; without running it the message stays queued.
    assert Notification.objects.get().status == Status.QUEUED
    assert len(callbacks) == 1


def test_same_key_sends_only_once(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = services.send(channel="sms", subject="a", recipient=user, key="case-1-accepted")
        second = services.send(channel="sms", subject="b", recipient=user, key="case-1-accepted")
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert Notification.objects.get().subject == "a"
    assert len(callbacks) == 1


def test_inbox_message_is_stored_as_sent_without_a_task(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        notification = services.send(channel="inbox", subject="欢迎", recipient=user, link="/")
    assert callbacks == []
    assert notification.status == Status.SENT
    assert notification.is_unread


def test_mail_goes_through_djangos_mail_backend(django_capture_on_commit_callbacks):
    user = UserFactory(email="zhang@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        services.send(channel="mail", subject="结果通知", body="已办结", recipient=user, link="/x/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhang@example.cn"]
    assert "/x/" in mail.outbox[0].body
    assert Notification.objects.get().status == Status.SENT


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"channel": "inbox", "subject": "x"}, "recipient"),
        ({"channel": "sms", "subject": "x"}, "no address"),
        ({"channel": "fax", "subject": "x", "address": "1"}, "Unknown channel"),
    ],
)
def test_refuses_a_message_that_cannot_be_delivered(kwargs, message):
    with pytest.raises(ValidationError) as excinfo, translation.override("en"):
        services.send(**kwargs)
    assert message in str(excinfo.value)
    assert not Notification.objects.exists()


def test_channels_cover_the_four_the_portal_needs():
    assert set(Channel.values) == {"inbox", "sms", "wechat", "mail"}
