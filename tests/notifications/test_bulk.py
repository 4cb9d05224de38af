import pytest

from portal.notifications import services
from portal.notifications.models import Notification, Status
from portal.notifications.services import OutgoingMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_bulk_inserts_and_delivers_in_batches(
    settings, django_capture_on_commit_callbacks, django_assert_max_num_queries, monkeypatch
):
    settings.NOTIFICATIONS = {**settings.NOTIFICATIONS, "BATCH_SIZE": 40}
    batches = []
    monkeypatch.setattr(
        "django_q.tasks.async_task", lambda func, ids, **kw: batches.append((func, ids))
    )
    messages = [
        OutgoingMessage(
            channel="sms", subject="提醒", body=f"第{i}条", address=f"139{i:08d}", key=f"r{i}"
        )
        for i in range(100)
    ]
    with (
        django_capture_on_commit_callbacks(execute=True),
        django_assert_max_num_queries(5),
    ):  # the keys already stored, savepoint, insert, release
        created = services.send_bulk(messages)
    assert created == 100
    assert Notification.objects.filter(status=Status.QUEUED).count() == 100
    assert [len(ids) for _, ids in batches] == [40, 40, 20]
    assert {func for func, _ in batches} == {"portal.notifications.tasks.deliver"}


def test_bulk_skips_known_and_repeated_keys(django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.send(channel="inbox", subject="old", body="旧", recipient=user, key="k1")
        created = services.send_bulk(
            [
                OutgoingMessage(channel="inbox", subject="a", body="甲", recipient=user, key="k1"),
                OutgoingMessage(channel="inbox", subject="b", body="乙", recipient=user, key="k2"),
                OutgoingMessage(channel="inbox", subject="c", body="丙", recipient=user, key="k2"),
                OutgoingMessage(channel="inbox", subject="d", body="丁", recipient=user, key="k3"),
            ]
        )
    assert created == 2
    assert sorted(Notification.objects.values_list("subject", flat=True)) == ["b", "d", "old"]


def test_bulk_delivery_marks_every_message_sent(django_capture_on_commit_callbacks):
    users = UserFactory.create_batch(5)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_bulk(
            OutgoingMessage(channel="sms", subject="s", body="正文", recipient=u, key=f"s{u.pk}")
            for u in users
        )
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}
    assert set(Notification.objects.values_list("address", flat=True)) == {u.mobile for u in users}
