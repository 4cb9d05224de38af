"""The inbox is its recipient's on the page and the API; the admin is for administrators and
never shows an offer link's signed token nor a full mobile number."""

import pytest
from django.core.signing import TimestampSigner
from django.urls import reverse

from portal.accounts.models import Role
from portal.accounts.services import assign_role
from portal.notifications import services
from portal.notifications.access import redact
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = TimestampSigner(salt="proactive.offer").sign("12-Zx9kq2LmN8vT4wYp-34")
LINK = f"https://portal.example/proactive/offers/{TOKEN}/"


@pytest.fixture
def alice():
    return UserFactory(username="alice")


@pytest.fixture
def administrator():
    user = UserFactory(username="city_admin")
    assign_role(user, Role.ADMINISTRATOR)
    return user


def test_redact_removes_signed_tokens_only():
    text = f"您的企业可申请主动服务：{LINK} 请于 2026-12-31 前办理。"
    redacted = redact(text)
    assert TOKEN not in redacted
    assert "Zx9kq2LmN8vT4wYp" not in redacted
    assert "https://portal.example/proactive/offers/[redacted]/" in redacted
    assert "2026-12-31" in redacted
    assert (
        redact("办理时间 09:00-17:00，电话 0532-12345678")
        == "办理时间 09:00-17:00，电话 0532-12345678"
    )


def test_inbox_api_shows_only_my_messages(client, alice):
    mine = services.send(
        channel="inbox", recipient=alice, subject="我的消息", key="access:16", body="正文"
    )
    theirs = services.send(
        channel="inbox", recipient=UserFactory(), subject="别人的消息", key="access:17", body="正文"
    )
    client.force_login(alice)
    listing = client.get("/api/v1/inbox/").json()
    subjects = [m["subject"] for m in listing["results"]]
    assert subjects == ["我的消息"]
    assert client.get(f"/api/v1/inbox/{mine.pk}/").status_code == 200
    assert client.get(f"/api/v1/inbox/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/inbox/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post(f"/api/v1/inbox/{mine.pk}/read/").json()["unread"] is False


def test_inbox_api_needs_a_person(client):
    assert client.get("/api/v1/inbox/").status_code in (401, 403)


def test_admin_redacts_offer_links_and_masks_mobiles(client, administrator):
    message = services.send(
        channel="sms",
        address="13812345678",
        subject="主动服务",
        body=f"请办理：{LINK}",
        link=LINK,
        key="access:18",
    )
    client.force_login(administrator)
    listing = client.get(reverse("admin:notifications_notification_changelist")).content.decode()
    assert "13812345678" not in listing
    assert "138****5678" in listing
    page = client.get(reverse("admin:notifications_notification_change", args=[message.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert TOKEN not in text
    assert "Zx9kq2LmN8vT4wYp" not in text
    assert "13812345678" not in text
    assert "[redacted]" in text


def test_admin_is_for_administrators_only(client, alice):
    staff = UserFactory(username="staff", is_staff=True)
    assign_role(staff, Role.OUTLET_MANAGER)
    services.send(channel="inbox", recipient=staff, subject="给店长", key="access:19", body="正文")
    client.force_login(staff)
    response = client.get(reverse("admin:notifications_notification_changelist"))
    assert response.status_code == 403
