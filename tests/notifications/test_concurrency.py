"""Two workers deliver the same batch at once (a retried task overlapping the original): each
message reaches the gateway once. Needs real row locks: PostgreSQL only."""

import threading

import pytest
from django.db import connection, connections

from portal.notifications import services
from portal.notifications.models import Notification, Status

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_overlapping_deliveries_send_each_message_once(gateway):
    ids = [
        Notification.objects.create(
            channel="sms",
            subject=f"m{i}",
            address="13900000001",
            key=f"concurrency:{i}",
            body="正文",
        ).pk
        for i in range(20)
    ]
    barrier = threading.Barrier(3)

    def work():
        try:
            barrier.wait()
            services.deliver(ids)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(gateway.requests) == 20
    assert sorted(r["json"]["id"] for r in gateway.requests) == sorted(ids)
    assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENT}
    assert set(Notification.objects.values_list("attempts", flat=True)) == {1}
