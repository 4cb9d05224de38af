"""Probes for accounts: people's accounts and system clients in the admin."""

from __future__ import annotations

from django.contrib.admin.utils import quote

from portal.accounts.models import SystemClient, User

from .probes import answered, probe


@probe("user", "admin_list")
def user_admin_list(world, actor):
    # the change link, not the name: the search box echoes the query
    target = User.objects.get(username="citizen")
    response = world.client(actor).get("/admin/accounts/user/?q=citizen")
    link = f"/admin/accounts/user/{target.pk}/change/"
    return answered(response) and link in response.content.decode()


@probe("user", "admin_change")
def user_admin_change(world, actor):
    """Give the demo citizen the administrator role through the admin's change form."""
    target = User.objects.get(username="citizen")
    url = f"/admin/accounts/user/{target.pk}/change/"
    client = world.client(actor)
    form = client.get(url)
    if not answered(form):
        assert User.objects.get(pk=target.pk).role == target.role
        return False
    response = client.post(
        url,
        {
            "username": target.username,
            "role": "administrator",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    changed = User.objects.get(pk=target.pk).role == "administrator"
    if response.status_code == 200 and not changed:
        return True  # the form showed, and refused the invalid post with errors: still allowed
    return changed


@probe("system_client", "admin_list")
def system_client_admin_list(world, actor):
    target = SystemClient.objects.get(name="matrix-feed")
    response = world.client(actor).get("/admin/accounts/systemclient/")
    link = f"/admin/accounts/systemclient/{quote(target.pk)}/change/"
    return answered(response) and link in response.content.decode()


@probe("system_client", "admin_action")
def system_client_revoke(world, actor):
    target = SystemClient.objects.get(name="matrix-gate")
    response = world.client(actor).post(
        "/admin/accounts/systemclient/",
        {"action": "revoke", "_selected_action": [target.pk]},
    )
    revoked = SystemClient.objects.get(pk=target.pk).revoked
    if revoked:
        return True
    answered(response, allowed=(200, 302))
    return False
