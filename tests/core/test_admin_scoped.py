"""Every page of the Django admin follows the policies (issue 11): each registered ModelAdmin,
the portal's and the libraries' (groups, task queue, lockout records), is a ScopedAdmin, and
a staff member without a scope sees none of the libraries' records."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from portal.access.admin import ScopedAdmin
from portal.accounts.models import Role
from portal.accounts.services import assign_role
from tests.factories import DepartmentFactory


def test_every_registered_admin_is_scoped():
    import portal.urls  # noqa: F401  (the URL map scopes the libraries' admins)

    loose = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, ScopedAdmin)
    ]
    assert not loose


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["auth.group", "django_q.schedule", "axes.accessattempt"])
def test_library_admins_are_for_administrators_only(client, django_user_model, label):
    app_label, model = label.split(".")
    url = reverse(f"admin:{app_label}_{model}_changelist")
    staff = django_user_model.objects.create_user("scoped-staff", password="pw-123456-x")
    assign_role(staff, Role.OUTLET_MANAGER)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    administrator = django_user_model.objects.create_user("scoped-admin", password="pw-123456-x")
    assign_role(administrator, Role.ADMINISTRATOR)
    client.force_login(administrator)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_history_is_read_only_and_follows_the_policy(client, django_user_model):
    """A history record never turns back a row (a reverted version would bypass the change form
    and its policy), and another department's staff do not read an item's history past its
    change form's rules; malformed ids are refused, not a server error."""
    from portal.catalogue.models import ServiceItem
    from tests.factories import ServiceItemFactory

    item = ServiceItemFactory(promised_limit_days=5)
    item.promised_limit_days = 3
    item.save()
    first = item.history.order_by("history_id").first()
    own = django_user_model.objects.create_user("history-own", password="pw-123456-x")
    assign_role(own, Role.DEPARTMENT_STAFF, department=item.department)
    client.force_login(own)
    form_url = reverse(
        "admin:catalogue_serviceitem_simple_history", args=(item.pk, first.history_id)
    )
    assert (
        client.get(reverse("admin:catalogue_serviceitem_history", args=(item.pk,))).status_code
        == 200
    )
    assert client.get(form_url).status_code == 200
    assert client.post(form_url, {"promised_limit_days": 5}).status_code == 403
    assert ServiceItem.objects.get(pk=item.pk).promised_limit_days == 3

    for bad in (f"{item.pk}/history/x/", f"{item.pk}/history/99999999/", "x/history/1/"):
        assert client.get(f"/admin/catalogue/serviceitem/{bad}").status_code == 404
    assert client.get("/admin/catalogue/serviceitem/x/history/").status_code == 302

    superuser = django_user_model.objects.create_superuser("history-super", password="pw-123456-x")
    client.force_login(superuser)
    assert client.post(form_url, {"promised_limit_days": 5}).status_code == 403
    assert ServiceItem.objects.get(pk=item.pk).promised_limit_days == 3


@pytest.mark.django_db
def test_history_of_an_invisible_row_is_not_shown(client, django_user_model):
    """Staff who may not see a point's staff bindings do not read them in its history either
    (simple_history falls back to the last historical record of a row the queryset hides)."""
    from approvals.models import AcceptancePoint, PointStaff
    from tests.factories import region

    point = AcceptancePoint.objects.create(code="HIST-1", name="历史受理点", region=region())
    bound = django_user_model.objects.create_user("bound-clerk", password="pw-123456-x")
    binding = PointStaff.objects.create(user=bound, point=point)
    url = reverse("admin:approvals_pointstaff_history", args=(binding.pk,))
    staff = django_user_model.objects.create_user("nosy-clerk", password="pw-123456-x")
    assign_role(staff, Role.DEPARTMENT_STAFF, department=point.department or DepartmentFactory())
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert b"bound-clerk" not in response.content
    administrator = django_user_model.objects.create_user("hist-admin", password="pw-123456-x")
    assign_role(administrator, Role.ADMINISTRATOR)
    client.force_login(administrator)
    assert b"bound-clerk" in client.get(url).content
