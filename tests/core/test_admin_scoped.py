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
