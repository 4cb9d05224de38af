import io

import pytest

from portal.accounts import demo
from portal.accounts.models import Role, User
from portal.notifications.models import Notification
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_demo_users_are_idempotent_and_usable(client):
    DepartmentFactory(name="青岛市行政审批服务局")
    DepartmentFactory(name="青岛市医疗保障局")
    out = io.StringIO()
    demo.load(stdout=out)
    first = list(User.objects.order_by("username").values_list("username", "role", "department"))
    demo.load(stdout=io.StringIO())
    assert (
        list(User.objects.order_by("username").values_list("username", "role", "department"))
        == first
    )
    assert Notification.objects.filter(recipient__username="citizen").count() == 1
    assert "admin / admin" in out.getvalue()
    staff = User.objects.filter(role=Role.DEPARTMENT_STAFF)
    assert {u.department.name for u in staff} == {"青岛市行政审批服务局", "青岛市医疗保障局"}
    response = client.post(
        "/accounts/login/",
        {
            "method": "password",
            "password-username": "13800000001",
            "password-password": "demo12345",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="admin").check_password("admin")


def test_no_weak_admin_password_on_the_production_profile(settings):
    settings.SETTINGS_MODULE = "portal.settings.production"
    out = io.StringIO()
    demo.load(stdout=out)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert not admin.check_password("admin")
    assert "admin / admin" not in out.getvalue()
