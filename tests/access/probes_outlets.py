"""Probes for outlets: the item-list drafts and publishing (manager pages and API), outlet data and
manager bindings in the admin. ``omgr`` manages QD-GOV-001 and QD-RCB-001; QD-GOV-002 is another
manager's (outlet_manager2)."""

from __future__ import annotations

from outlets import hours as clock
from outlets import selectors, services
from outlets.models import ItemListEntry, ItemListVersion, Outlet, OutletManager, VersionStatus
from portal.catalogue.models import ServiceItem

from .probes import answered, probe

OWN = "QD-GOV-001"
FOREIGN = "QD-GOV-002"


def _outlet(code: str) -> Outlet:
    return Outlet.objects.get(code=code)


def _item_not_on(outlet: Outlet) -> ServiceItem:
    return (
        ServiceItem.objects.filter(self_service=True, is_active=True)
        .exclude(outlet_entries__version__outlet=outlet)
        .order_by("code")
        .first()
    )


def _draft_entries(outlet: Outlet, item: ServiceItem) -> int:
    return ItemListEntry.objects.filter(
        version__outlet=outlet, version__status=VersionStatus.DRAFT, item=item
    ).count()


def _view_draft(world, actor, code):
    return answered(world.client(actor).get(f"/outlets/manage/{code}/"))


def _add_by_api(world, actor, code):
    """Add an item to the outlet's draft over the API; refused: the draft has not changed."""
    outlet = _outlet(code)
    item = _item_not_on(outlet)
    response = world.client(actor).post(
        f"/api/v1/outlets/{code}/draft/items/", {"item": item.code}, content_type="application/json"
    )
    added = _draft_entries(outlet, item) == 1
    if answered(response, allowed=(201,)):
        assert added, "201 without the entry"
        return True
    assert not added, f"{actor}: refused, yet the item is on the draft"
    return False


@probe("outlet_draft", "page")
def outlet_draft_page(world, actor):
    return _view_draft(world, actor, OWN)


@probe("outlet_draft", "api")
def outlet_draft_api(world, actor):
    return _add_by_api(world, actor, OWN)


@probe("foreign_draft", "page")
def outlet_draft_foreign_page(world, actor):
    return _view_draft(world, actor, FOREIGN)


@probe("foreign_draft", "api")
def outlet_draft_foreign_api(world, actor):
    return _add_by_api(world, actor, FOREIGN)


def _publish(world, actor, send):
    """Publish a draft that differs from the list in effect; refused: no new version."""
    outlet = _outlet(OWN)
    services.add_item(outlet, _item_not_on(outlet))  # the system, so the draft differs
    before = ItemListVersion.objects.filter(outlet=outlet, status=VersionStatus.PUBLISHED).count()
    today = clock.local_now().date()
    # the scheduled versions the publication replaces, named as the preview names them (ADR 0102)
    confirm = selectors.publication_plan(outlet, selectors.draft_of(outlet), today).to_confirm
    response = send(world.client(actor), today.isoformat(), confirm)
    after = ItemListVersion.objects.filter(outlet=outlet, status=VersionStatus.PUBLISHED).count()
    if after == before + 1:
        return True
    assert after == before
    return answered(response, allowed=())


@probe("outlet_publish", "page")
def outlet_publish_page(world, actor):
    return _publish(
        world,
        actor,
        lambda client, day, confirm: client.post(
            f"/outlets/manage/{OWN}/preview/", {"effective_date": day, "confirm_scheduled": confirm}
        ),
    )


@probe("outlet_publish", "api")
def outlet_publish_api(world, actor):
    return _publish(
        world,
        actor,
        lambda client, day, confirm: client.post(
            f"/api/v1/outlets/{OWN}/publish/",
            {"effective_date": day, "confirm_scheduled": confirm},
            content_type="application/json",
        ),
    )


def _outlet_form(outlet: Outlet, **changes) -> dict:
    """The admin's change form of ``outlet`` as posted, with no inline row touched."""
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
        "_save": "Save",
    }
    if outlet.closed_on_holidays:
        data["closed_on_holidays"] = "on"
    for prefix in ("terminals", "opening_hours", "manager_links", "versions"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(changes)
    return data


@probe("outlet_manager", "admin_add")
def outlet_manager_admin_add(world, actor):
    """Issue 11: an outlet manager made by assign_role() bound itself to an outlet it did not
    manage, through the outlet's change form. Here each actor tries to bind omgr to QD-GOV-002."""
    outlet = _outlet(FOREIGN)
    manager = world.users["omgr"]
    url = f"/admin/outlets/outlet/{outlet.pk}/change/"
    data = _outlet_form(
        outlet,
        **{
            "manager_links-TOTAL_FORMS": "1",
            "manager_links-0-user": str(manager.pk),
            "manager_links-0-outlet": str(outlet.pk),
            "manager_links-0-id": "",
        },
    )
    response = world.client(actor).post(url, data)
    bound = OutletManager.objects.filter(outlet=outlet, user=manager).exists()
    if bound:
        return True
    if response.status_code == 302 and "/login/" not in response.get("Location", ""):
        return False  # the admin sent the user away: the outlet is not theirs to see
    return answered(response, allowed=())


@probe("outlet", "admin_change")
def outlet_admin_change(world, actor):
    """Rename omgr's own outlet in the admin (outlet data is the administrators')."""
    outlet = _outlet(OWN)
    url = f"/admin/outlets/outlet/{outlet.pk}/change/"
    response = world.client(actor).post(url, _outlet_form(outlet, name="改名的网点"))
    renamed = Outlet.objects.get(pk=outlet.pk).name == "改名的网点"
    if renamed:
        return True
    assert Outlet.objects.get(pk=outlet.pk).name == outlet.name
    if response.status_code == 302 and "/login/" not in response.get("Location", ""):
        return False
    return answered(response, allowed=())


@probe("outlet_items", "export")
def outlet_items_export(world, actor):
    """The list in effect of an outlet as CSV: public, like the outlet's page."""
    response = world.client(actor).get(f"/outlets/{OWN}/items.csv")
    return answered(response) and response["Content-Type"].startswith("text/csv")
