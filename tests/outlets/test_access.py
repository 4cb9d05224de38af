"""The outlets' policy: a manager drafts and publishes only their outlets' lists (administrators
every outlet's), sees their outlets read-only in the admin and never binds anybody, themselves
included (issue 11); outlet data keeps its history; names refuse invisible characters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outlets import services
from outlets.models import Outlet, OutletManager
from portal.accounts.models import Role
from portal.accounts.services import assign_role
from tests.factories import UserFactory

from .factories import OutletFactory, SelfServiceItemFactory, TerminalFactory, bind

pytestmark = pytest.mark.django_db


def manager(username="mgr"):
    user = UserFactory(username=username)
    return assign_role(user, Role.OUTLET_MANAGER)


def administrator(username="city_admin"):
    return assign_role(UserFactory(username=username), Role.ADMINISTRATOR)


def outlet_form(outlet: Outlet, **changes) -> dict:
    data = {
        "code": outlet.code,
        "name": outlet.name,
        "kind": outlet.kind,
        "operator": outlet.operator,
        "status": outlet.status,
        "district": outlet.district_id,
        "address": outlet.address,
        "latitude": outlet.latitude,
        "longitude": outlet.longitude,
        "phone": outlet.phone,
        "calendar": outlet.calendar,
        "accessibility": outlet.accessibility,
    }
    if outlet.closed_on_holidays:
        data["closed_on_holidays"] = "on"
    for prefix in ("terminals", "opening_hours", "manager_links", "versions"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


@pytest.fixture
def outlets():
    return OutletFactory(code="MINE"), OutletFactory(code="THEIRS")


def test_manager_cannot_bind_themselves_to_another_outlet(client, outlets):
    mine, theirs = outlets
    me = manager()
    bind(me, mine)
    client.force_login(me)
    data = outlet_form(
        theirs,
        **{
            "manager_links-TOTAL_FORMS": "1",
            "manager_links-0-user": me.pk,
            "manager_links-0-outlet": theirs.pk,
        },
    )
    client.post(reverse("admin:outlets_outlet_change", args=[theirs.pk]), data)
    client.post(reverse("admin:outlets_outlet_change", args=[mine.pk]), outlet_form(mine))
    assert not OutletManager.objects.filter(user=me, outlet=theirs).exists()
    # nor to their own outlet twice, nor anyone else to theirs: bindings are the administrators'
    assert OutletManager.objects.filter(outlet=mine).count() == 1


def test_manager_sees_only_their_outlets_read_only(client, outlets):
    mine, _theirs = outlets
    me = manager()
    bind(me, mine)
    client.force_login(me)
    listing = client.get(reverse("admin:outlets_outlet_changelist")).content.decode()
    assert "MINE" in listing and "THEIRS" not in listing
    page = client.get(reverse("admin:outlets_outlet_change", args=[mine.pk]))
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()
    response = client.post(
        reverse("admin:outlets_outlet_change", args=[mine.pk]), outlet_form(mine, name="新名字")
    )
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.name != "新名字"


def test_administrator_binds_a_manager_and_the_history_says_who(client, outlets):
    mine, _theirs = outlets
    me = manager()
    admin = administrator()
    client.force_login(admin)
    data = outlet_form(
        mine,
        **{
            "manager_links-TOTAL_FORMS": "1",
            "manager_links-0-user": me.pk,
            "manager_links-0-outlet": mine.pk,
        },
    )
    response = client.post(reverse("admin:outlets_outlet_change", args=[mine.pk]), data)
    assert response.status_code == 302
    link = OutletManager.objects.get(user=me, outlet=mine)
    assert link.history.get().history_user == admin


def test_outlet_change_keeps_the_old_value(client, outlets):
    mine, _theirs = outlets
    old_name = mine.name
    admin = administrator()
    client.force_login(admin)
    url = reverse("admin:outlets_outlet_change", args=[mine.pk])
    assert client.post(url, outlet_form(mine, name="新网点名")).status_code == 302
    change = mine.history.order_by("-history_date", "-history_id").first()
    assert change.history_user == admin
    assert change.name == "新网点名"
    history = client.get(reverse("admin:outlets_outlet_history", args=[mine.pk]))
    assert old_name in history.content.decode()


def test_outlet_names_refuse_invisible_characters(client, outlets):
    mine, _theirs = outlets
    client.force_login(administrator())
    url = reverse("admin:outlets_outlet_change", args=[mine.pk])
    response = client.post(url, outlet_form(mine, name="网点\u202e一"))
    assert response.status_code == 200
    mine.refresh_from_db()
    assert "\u202e" not in mine.name


def test_administrators_draft_and_publish_any_outlet(client, outlets):
    _mine, theirs = outlets
    TerminalFactory(outlet=theirs)
    item = SelfServiceItemFactory(code="ADMIN-ADD")
    client.force_login(administrator())
    assert client.get(reverse("outlets:manage_index")).status_code == 200
    response = client.post(
        "/api/v1/outlets/THEIRS/draft/items/",
        {"item": "ADMIN-ADD"},
        content_type="application/json",
    )
    assert response.status_code == 201
    response = client.post(
        "/api/v1/outlets/THEIRS/publish/",
        {"effective_date": "2099-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert services.latest_published(theirs).entries.filter(item=item).exists()


def test_a_manager_without_a_binding_manages_nothing(client, outlets):
    _mine, _theirs = outlets
    client.force_login(manager("unbound"))
    assert client.get(reverse("outlets:manage_draft", args=["THEIRS"])).status_code == 403
    index = client.get(reverse("outlets:manage_index"))
    assert index.status_code == 200
    assert "THEIRS" not in index.content.decode()
