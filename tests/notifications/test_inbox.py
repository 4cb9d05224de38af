import pytest
from django.urls import reverse

from portal.notifications import services
from portal.notifications.models import Notification, Status
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return UserFactory(username="alice")


@pytest.fixture
def bob():
    return UserFactory(username="bob")


def test_inbox_requires_sign_in(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_inbox_shows_only_my_messages_and_unread_count(client, alice, bob):
    services.send(
        channel="inbox", recipient=alice, subject="给爱丽丝的消息", key="inbox:5", body="正文"
    )
    services.send(
        channel="inbox", recipient=alice, subject="第二条消息", key="inbox:6", body="正文"
    )
    services.send(
        channel="inbox", recipient=bob, subject="给鲍勃的秘密", key="inbox:7", body="正文"
    )
    client.force_login(alice)
    response = client.get(reverse("notifications:inbox"), HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert "给爱丽丝的消息" in text
    assert "给鲍勃的秘密" not in text
    assert "2 unread messages" in text


def test_mark_read(client, alice):
    message = services.send(
        channel="inbox", recipient=alice, subject="s", link="/ratings/", key="inbox:8", body="正文"
    )
    client.force_login(alice)
    response = client.post(reverse("notifications:mark_read", args=[message.pk]), {"next": "link"})
    assert response.status_code == 302
    assert response["Location"] == "/ratings/"
    message.refresh_from_db()
    assert message.status == Status.READ
    assert message.read_at is not None


def test_cannot_read_or_mark_another_persons_message(client, alice, bob):
    message = services.send(
        channel="inbox", recipient=bob, subject="bob only", key="inbox:9", body="正文"
    )
    client.force_login(alice)
    response = client.post(reverse("notifications:mark_read", args=[message.pk]))
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.read_at is None


def test_mark_all_read_touches_only_mine(client, alice, bob):
    services.send(channel="inbox", recipient=alice, subject="a", key="inbox:10", body="正文")
    services.send(channel="inbox", recipient=bob, subject="b", key="inbox:11", body="正文")
    client.force_login(alice)
    client.post(reverse("notifications:mark_all_read"))
    assert Notification.objects.get(recipient=bob).read_at is None
    assert Notification.objects.get(recipient=alice).read_at is not None


def test_open_redirect_is_refused(client, alice):
    message = services.send(
        channel="inbox",
        recipient=alice,
        subject="s",
        link="https://evil.example/",
        key="inbox:12",
        body="正文",
    )
    client.force_login(alice)
    response = client.post(reverse("notifications:mark_read", args=[message.pk]), {"next": "link"})
    assert response["Location"] == reverse("notifications:inbox")


def test_inbox_runs_a_fixed_number_of_queries(client, alice, django_assert_max_num_queries):
    for i in range(30):
        services.send(
            channel="inbox", recipient=alice, subject=f"m{i}", key=f"inbox:13:{i}", body="正文"
        )
    client.force_login(alice)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 200


def test_outbox_page_is_for_administrators_outside_debug(client, alice, admin_user):
    services.send(
        channel="sms", subject="验证码", body="123456", address="13900000009", key="inbox:14"
    )
    client.force_login(alice)
    assert client.get(reverse("notifications:outbox")).status_code == 403
    client.force_login(admin_user)
    response = client.get(reverse("notifications:outbox"))
    assert "123456" in response.content.decode()


@pytest.mark.parametrize(
    "role",
    [
        "citizen",
        "company_handler",
        "department_staff",
        "outlet_manager",
        "legal_aid_staff",
        "administrator",
    ],
)
def test_no_role_reads_another_persons_inbox(client, bob, role):
    """Whatever their role (administrators included: they use the admin, not the inbox), a
    signed-in user never sees or marks another person's inbox message."""
    from tests.factories import DepartmentFactory

    secret = services.send(
        channel="inbox", recipient=bob, subject="鲍勃的办件结果", key="inbox:15", body="正文"
    )
    user = UserFactory(role=role, department=DepartmentFactory(), is_staff=role != "citizen")
    client.force_login(user)
    assert "鲍勃的办件结果" not in client.get(reverse("notifications:inbox")).content.decode()
    response = client.post(reverse("notifications:mark_read", args=[secret.pk]))
    assert response.status_code == 404
    secret.refresh_from_db()
    assert secret.read_at is None
