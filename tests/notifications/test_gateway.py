import hashlib
import hmac

import pytest

from portal.notifications import services, tasks
from portal.notifications.models import Notification, Status

pytestmark = pytest.mark.django_db


def test_gateway_receives_signed_json(gateway, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.send(
            channel="sms",
            subject="验证码",
            body="您的验证码是 123456",
            address="13900000001",
            key="gateway:23",
        )
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert len(gateway.requests) == 1
    received = gateway.requests[0]
    assert received["json"]["to"] == "13900000001"
    assert received["json"]["body"] == "您的验证码是 123456"
    expected = "sha256=" + hmac.new(b"test-secret", received["raw"], hashlib.sha256).hexdigest()
    assert received["headers"]["X-Portal-Signature"] == expected


def test_gateway_failure_is_stored_and_retried(gateway, django_capture_on_commit_callbacks):
    gateway.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        notification = services.send(
            channel="wechat", subject="通知", address="openid-1", key="gateway:24", body="正文"
        )
    notification.refresh_from_db()
    assert notification.status == Status.FAILED
    assert notification.attempts == 1
    assert "503" in notification.last_error

    # django-q2 runs the task again because it raised; the second run succeeds.
    gateway.status = 200
    assert tasks.deliver([notification.pk])["sent"] == 1
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.attempts == 2
    assert notification.last_error == ""
    assert len(gateway.requests) == 2


def test_failing_task_raises_so_django_q_retries(gateway):
    gateway.status = 500
    notification = Notification.objects.create(
        channel="sms", subject="x", address="13900000002", key="gateway:1", body="正文"
    )
    with pytest.raises(tasks.DeliveryFailed):
        tasks.deliver([notification.pk])


def test_sent_message_is_not_sent_again(gateway):
    notification = Notification.objects.create(
        channel="sms", subject="x", address="13900000003", key="gateway:2", body="正文"
    )
    tasks.deliver([notification.pk])
    tasks.deliver([notification.pk])
    assert len(gateway.requests) == 1


def test_attempts_stop_at_the_limit(gateway, settings):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "MAX_ATTEMPTS": 2}
    gateway.status = 500
    notification = Notification.objects.create(
        channel="sms", subject="x", address="13900000004", key="gateway:3", body="正文"
    )
    with pytest.raises(tasks.DeliveryFailed):
        tasks.deliver([notification.pk])
    # Second and last attempt: it fails but the task no longer asks for a retry.
    assert tasks.deliver([notification.pk])["retry"] == []
    tasks.deliver([notification.pk])
    notification.refresh_from_db()
    assert notification.attempts == 2
    assert len(gateway.requests) == 2


def test_unreachable_gateway_is_a_failure(settings):
    settings.NOTIFICATIONS = {
        **settings.NOTIFICATIONS,
        "SMS_BACKEND": "portal.notifications.backends.HttpGatewayBackend",
        "GATEWAY_URL": "http://127.0.0.1:9/nothing",
        "GATEWAY_TIMEOUT": 1,
    }
    notification = Notification.objects.create(
        channel="sms", subject="x", address="13900000005", key="gateway:4", body="正文"
    )
    result = services.deliver([notification.pk])
    notification.refresh_from_db()
    assert result["failed"] == 1
    assert notification.status == Status.FAILED
    assert "unreachable" in notification.last_error


def test_admin_retry_requeues_failed_messages(gateway, django_capture_on_commit_callbacks):
    gateway.status = 500
    notification = Notification.objects.create(
        channel="sms",
        subject="x",
        address="13900000006",
        status=Status.FAILED,
        attempts=5,
        key="gateway:5",
        body="正文",
    )
    gateway.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry([notification.pk]) == 1
    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.attempts == 1


def test_stale_queued_messages_are_handed_over_again(django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    notification = Notification.objects.create(
        channel="sms", subject="x", address="13900000007", key="gateway:6", body="正文"
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_stale() == 1
    notification.refresh_from_db()
    assert notification.status == Status.SENT


def test_a_secret_is_blanked_once_the_gateway_took_it(gateway, django_capture_on_commit_callbacks):
    from portal.notifications.models import REDACTED

    with django_capture_on_commit_callbacks(execute=True):
        notification = services.send(
            channel="sms",
            subject="验证码",
            body="验证码 654321",
            address="13900000008",
            sensitive=True,
            key="gateway:25",
        )
    notification.refresh_from_db()
    assert gateway.requests[0]["json"]["body"] == "验证码 654321"
    assert notification.body == REDACTED
    assert notification.status == Status.SENT


def test_outbox_keeps_a_secret_until_it_is_stale(django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from portal.notifications.models import REDACTED

    with django_capture_on_commit_callbacks(execute=True):
        notification = services.send(
            channel="sms",
            subject="验证码",
            body="验证码 123456",
            address="13900000010",
            sensitive=True,
            key="gateway:26",
        )
        plain = services.send(
            channel="sms", subject="通知", body="已受理", address="13900000010", key="gateway:27"
        )
    notification.refresh_from_db()
    assert notification.body == "验证码 123456"  # the outbox page shows it to the demo user
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=20))
    services.requeue_stale()
    notification.refresh_from_db()
    plain.refresh_from_db()
    assert notification.body == REDACTED
    assert plain.body == "已受理"
