"""The admin pages of the shared core open for an administrator, with search and filters."""

import pytest
from django.utils import translation

from portal.notifications.models import Notification, Status
from portal.ratings import services as ratings
from tests.factories import ServiceItemFactory, StaffUserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/accounts/user/",
        "/admin/accounts/user/?role__exact=department_staff",
        "/admin/accounts/user/?q=139",
        "/admin/accounts/onetimecode/",
        "/admin/notifications/notification/?status__exact=failed",
        "/admin/ratings/rating/",
        "/admin/ratings/followup/?overdue=yes",
        "/admin/ratings/followup/?overdue=no",
    ],
)
def test_admin_lists_open(admin_client, url):
    staff = StaffUserFactory()
    item = ServiceItemFactory(department=staff.department)
    ratings.rate(subject=UserFactory(), user=UserFactory(), score=1, department=item.department)
    assert admin_client.get(url).status_code == 200


def test_user_admin_filters_by_department(admin_client):
    staff = StaffUserFactory(username="dept-staff")
    UserFactory(username="plain-citizen")
    response = admin_client.get(
        f"/admin/accounts/user/?department__id__exact={staff.department_id}"
    )
    text = response.content.decode()
    assert "dept-staff" in text
    assert "plain-citizen" not in text


def test_user_admin_labels_are_chinese(admin_client):
    with translation.override("zh-hans"):
        text = admin_client.get(
            "/admin/accounts/user/", HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
    assert "手机号码" in text and "角色" in text


def test_retry_action_requeues_failed_messages(admin_client, django_capture_on_commit_callbacks):
    failed = Notification.objects.create(
        channel="sms",
        subject="x",
        address="13900000001",
        status=Status.FAILED,
        attempts=5,
        key="admin:1",
        body="正文",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/notifications/notification/",
            {"action": "retry", "_selected_action": [failed.pk]},
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == Status.SENT
    assert failed.attempts == 1
