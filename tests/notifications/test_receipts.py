"""Delivery receipts from the notification gateway: its API key with the scope, and nobody else;
validated (problem details), idempotent, one transaction."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.services import create_system_client
from portal.notifications import services
from portal.notifications.models import Notification, Status
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/receipts/"


@pytest.fixture
def gateway_key():
    _client, key = create_system_client(name="gateway", scopes=["notifications:receipts"])
    return key


@pytest.fixture
def sent():
    message = services.send(
        channel="sms", address="13800000000", subject="s", body="b", key="receipts:20"
    )
    Notification.objects.filter(pk=message.pk).update(status=Status.SENT, sent_at=timezone.now())
    message.refresh_from_db()
    return message


def post(key, data, **extra):
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
    return client.post(URL, data, format="json", **extra)


def test_delivered_receipt_marks_the_message_and_is_idempotent(gateway_key, sent):
    body = {"receipts": [{"id": sent.pk, "status": "delivered", "provider_id": "gw-1"}]}
    first = post(gateway_key, body)
    assert first.status_code == 200, first.content
    assert first.json()["updated"] == 1
    sent.refresh_from_db()
    assert sent.status == Status.DELIVERED
    assert sent.provider_id == "gw-1"
    delivered_at = sent.delivered_at
    assert delivered_at is not None

    again = post(gateway_key, body)
    assert again.json() == {
        "updated": 0,
        "unchanged": 1,
        "unknown": 0,
        "results": [{"id": sent.pk, "result": "unchanged"}],
    }
    sent.refresh_from_db()
    assert sent.delivered_at == delivered_at


def test_failed_receipt_records_the_error_but_never_undoes_a_delivery(gateway_key, sent):
    response = post(
        gateway_key, {"receipts": [{"id": sent.pk, "status": "failed", "error": "空号"}]}
    )
    assert response.json()["updated"] == 1
    sent.refresh_from_db()
    assert sent.status == Status.FAILED
    assert "空号" in sent.last_error

    Notification.objects.filter(pk=sent.pk).update(status=Status.DELIVERED)
    late = post(gateway_key, {"receipts": [{"id": sent.pk, "status": "failed"}]})
    assert late.json()["unchanged"] == 1
    sent.refresh_from_db()
    assert sent.status == Status.DELIVERED


def test_inbox_messages_and_unknown_ids_are_unknown(gateway_key):
    inbox = services.send(
        channel="inbox", recipient=UserFactory(), subject="s", key="receipts:21", body="正文"
    )
    response = post(
        gateway_key,
        {
            "receipts": [
                {"id": inbox.pk, "status": "delivered"},
                {"id": 987654, "status": "delivered"},
            ]
        },
    )
    assert response.status_code == 200
    assert response.json()["unknown"] == 2
    inbox.refresh_from_db()
    assert inbox.status == Status.SENT


@pytest.mark.parametrize(
    "body",
    [
        {},
        [],
        {"receipts": []},
        {"receipts": "x"},
        {"receipts": [{"id": "abc", "status": "delivered"}]},
        {"receipts": [{"id": 1, "status": "read"}]},
        {"receipts": [{"id": 0, "status": "delivered"}]},
        {"receipts": [{"id": 10**30, "status": "delivered"}]},
        {"receipts": [{"id": 1, "status": "delivered", "provider_id": "a b"}]},
        {"receipts": [{"id": 1, "status": "delivered", "at": "yesterday"}]},
        {"receipts": [{"id": 1, "status": "delivered"}] * 501},
    ],
)
def test_bad_input_is_a_problem_and_changes_nothing(gateway_key, sent, body):
    response = post(gateway_key, body)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_only_the_gateways_key_may_post(client, sent):
    body = {"receipts": [{"id": sent.pk, "status": "delivered"}]}
    assert post(None, body).status_code == 401
    _other, courier = create_system_client(name="courier", scopes=["courier:events"])
    assert post(courier, body).status_code == 403
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    session = APIClient()
    session.force_authenticate(admin)
    assert session.post(URL, body, format="json").status_code in (401, 403)
    sent.refresh_from_db()
    assert sent.status == Status.SENT


def test_a_message_still_queued_is_marked_delivered_and_not_sent_again(gateway_key):
    message = services.send(
        channel="sms", address="13800000000", subject="s", key="receipts:22", body="正文"
    )
    Notification.objects.filter(pk=message.pk).update(status=Status.QUEUED)
    post(gateway_key, {"receipts": [{"id": message.pk, "status": "delivered"}]})
    assert services.deliver([message.pk])["sent"] == 0
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
