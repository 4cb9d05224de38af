"""Probes for the portal's core domains: the catalogue (items in the admin, list exports), ratings
(the admin list, the public statistics), notifications (the inbox on the page, the API and the
admin; the gateway's delivery receipts)."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType

from portal.catalogue.models import BasicService, ServiceItem
from portal.notifications.models import Notification, Status
from portal.ratings.models import Rating

from .probes import admin_list, answered, probe


# ---- catalogue ----------------------------------------------------------------------------------
def _item_form(item: ServiceItem, **changes) -> dict:
    data = {
        field: getattr(item, field)
        for field in (
            "code", "name", "name_en", "domain", "kind", "applicant_kind", "description",
            "keywords", "legal_limit_days", "promised_limit_days", "fee", "fee_note",
            "visits_required", "popularity",
        )
    }  # fmt: skip
    data["department"] = item.department_id
    data["basic"] = item.basic_id
    for flag in (
        "is_active", "online", "service_hall", "self_service", "mobile", "smart_approval",
        "missing_materials_allowed", "commitment", "proactive",
    ):  # fmt: skip
        if getattr(item, flag):
            data[flag] = "on"
    for prefix in ("materials", "list_entries"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data["_save"] = "Save"
    data.update(changes)
    return data


@probe("service_item", "admin_change")
def service_item_admin_change(world, actor):
    """Change the promised time limit of an item of housing_staff's department (``dept``)."""
    department = world.users["dept"].department_id
    item = (
        ServiceItem.objects.filter(department_id=department, legal_limit_days__gte=3)
        .order_by("code")
        .first()
    )
    wanted = 2 if item.promised_limit_days != 2 else 3
    url = f"/admin/catalogue/serviceitem/{item.pk}/change/"
    response = world.client(actor).post(url, _item_form(item, promised_limit_days=wanted))
    now = ServiceItem.objects.get(pk=item.pk).promised_limit_days
    if now == wanted:
        return True
    assert now == item.promised_limit_days
    return answered(response, allowed=())


@probe("basic_service", "admin_change")
def basic_service_admin_change(world, actor):
    """Change the legal basis of a service of the basic catalogue (ADR 0121): the same in every
    district, so administrators only, not a department's staff."""
    service = BasicService.objects.order_by("basic_code").first()
    wanted = service.legal_basis + "（修订）"
    data = {
        field: getattr(service, field)
        for field in ("basic_code", "name", "name_en", "kind", "domain", "applicant_kind",
                      "legal_basis_en")
    }  # fmt: skip
    data.update(legal_basis=wanted, competent_levels=service.competent_levels or "", _save="Save")
    url = f"/admin/catalogue/basicservice/{service.pk}/change/"
    response = world.client(actor).post(url, data)
    now = BasicService.objects.get(pk=service.pk).legal_basis
    if now == wanted:
        return True
    assert now == service.legal_basis
    return answered(response, allowed=())


@probe("catalogue_export", "export")
def catalogue_export(world, actor):
    response = world.client(actor).get("/lists/city_wide/export.csv")
    return answered(response) and response["Content-Type"].startswith("text/csv")


# ---- ratings ------------------------------------------------------------------------------------
@probe("rating", "admin_list")
def rating_admin_list(world, actor):
    """A rating that went to housing_staff's department: its staff and administrators list it."""
    citizen = world.users["citz"]
    Rating.objects.create(
        content_type=ContentType.objects.get_for_model(citizen),
        object_id=f"matrix-{citizen.pk}",
        user=citizen,
        score=2,
        comment="矩阵探针的评价",
        department_id=world.users["dept"].department_id,
    )
    return admin_list(world, actor, "/admin/ratings/rating/", must_contain="矩阵探针的评价")


@probe("rating_statistics", "page")
def rating_statistics_page(world, actor):
    """The public statistics (好差评公示): aggregates only, for everybody."""
    return answered(world.client(actor).get("/ratings/"))


@probe("rating_statistics", "api")
def rating_statistics_api(world, actor):
    return answered(world.client(actor).get("/api/v1/ratings/statistics/?by=item"))


# ---- notifications ------------------------------------------------------------------------------
def _citizens_message(world) -> Notification:
    message = (
        Notification.objects.filter(recipient=world.users["citz"], channel="inbox")
        .order_by("pk")
        .first()
    )
    Notification.objects.filter(pk=message.pk).update(read_at=None, status=Status.SENT)
    return message


@probe("inbox_message", "page")
def inbox_message_page(world, actor):
    """Mark the demo citizen's message read from the inbox page."""
    message = _citizens_message(world)
    response = world.client(actor).post(f"/inbox/{message.pk}/read/")
    read = Notification.objects.get(pk=message.pk).read_at is not None
    if read:
        return True
    if response.status_code == 302 and "/login/" not in response.get("Location", ""):
        raise AssertionError("redirected without marking the message read")
    return answered(response, allowed=())


@probe("inbox_message", "api")
def inbox_message_api(world, actor):
    message = _citizens_message(world)
    response = world.client(actor).get(f"/api/v1/inbox/{message.pk}/")
    return answered(response) and response.json()["subject"] == message.subject


@probe("inbox_message", "admin_list")
def inbox_message_admin_list(world, actor):
    message = _citizens_message(world)
    return admin_list(
        world,
        actor,
        f"/admin/notifications/notification/?q={quote(message.subject)}",
        must_contain=f"/admin/notifications/notification/{message.pk}/change/",
    )


@probe("notification_receipt", "api")
def notification_receipt_api(world, actor):
    """The gateway reports an SMS delivered; refused: the message is unchanged."""
    message = Notification.objects.filter(channel="sms").order_by("pk").first()
    Notification.objects.filter(pk=message.pk).update(status=Status.SENT, delivered_at=None)
    response = world.client(actor).post(
        "/api/v1/notifications/receipts/",
        {"receipts": [{"id": message.pk, "status": "delivered", "provider_id": "gw-1"}]},
        content_type="application/json",
    )
    delivered = Notification.objects.get(pk=message.pk).status == Status.DELIVERED
    if answered(response):
        assert delivered, "200 without the receipt recorded"
        return True
    assert not delivered, f"{actor}: refused, yet the message is marked delivered"
    return False
