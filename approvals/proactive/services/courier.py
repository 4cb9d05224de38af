"""The courier: the order placed after the certificate is issued (retried with backoff, never
twice), the courier's signed events on the shipment workflow and the case, a failed delivery's
notices, and a new attempt or a pick-up instead. ADR 0098."""

from __future__ import annotations

import datetime
import logging
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.languages import in_each_language
from portal.workflow import Context, NotFound, Refused, get, run, write_log

from .. import couriers
from ..models import OfferReason, Shipment, ShipmentKind, ShipmentStatus
from .common import SHIPMENT_WORKFLOW, self_only

if TYPE_CHECKING:
    from ..couriers import CourierEvent as Event

logger = logging.getLogger(__name__)

PLACE_TASK = "approvals.proactive.tasks.place_courier_order"
CANCEL_TASK = "approvals.proactive.tasks.cancel_courier_order"


class CourierError(Exception):
    """The courier event cannot be applied now (HTTP 409)."""


# The courier's status -> the shipment workflow's step that reaches it.
STEPS = {
    "collected": "collect",
    "in_transit": "transit",
    "delivered": "deliver",
    "failed": "fail",
}
# How far a parcel is: an event for a stage already passed is recorded and changes nothing.
PROGRESS = {
    ShipmentStatus.ORDERED: 0,
    ShipmentStatus.COLLECTED: 1,
    ShipmentStatus.IN_TRANSIT: 2,
    ShipmentStatus.DELIVERED: 3,
}
ACTIVE = (ShipmentStatus.ORDERED, ShipmentStatus.COLLECTED, ShipmentStatus.IN_TRANSIT)


def retry_delays() -> list[int]:
    return [int(d) for d in couriers.registry.options()["RETRY_DELAYS"]]


# ----- dispatch: the order --------------------------------------------------------------------


def dispatch(offer_id: int) -> Shipment | None:
    """Inside the issuing transaction: the offer's shipment is due for ordering, and after
    commit a task places the order. Idempotent (a shipment already dispatched is left)."""
    shipment = (
        Shipment.objects.select_for_update(**self_only())
        .select_related("offer")
        .filter(offer_id=offer_id)
        .first()
    )
    if shipment is None or shipment.status != ShipmentStatus.CREATED or shipment.next_try_at:
        return shipment
    shipment.kind = (
        ShipmentKind.DELIVER_ONLY
        if shipment.offer.reason == OfferReason.EXPIRY
        else ShipmentKind.COLLECT_AND_DELIVER
    )
    shipment.courier = couriers.registry.options()["PLUGIN"]
    shipment.next_try_at = timezone.now()
    shipment.save(update_fields=["kind", "courier", "next_try_at"])
    queue_order(shipment.pk)
    return shipment


def queue_order(shipment_id: int) -> None:
    """After commit: a django-q2 task places the order."""

    def enqueue() -> None:
        from django_q.tasks import async_task

        async_task(PLACE_TASK, shipment_id)

    transaction.on_commit(enqueue, robust=True)


def place_order(shipment_id: int) -> str:
    """Place the shipment's order with its courier (the task; also the sweeper's retry).

    Returns what happened: ``ordered``, ``retry`` (the courier is down: tried again after the
    next delay), ``given_up`` (after the last delay, or refused for good: staff see it) or
    ``skipped`` (not due: already ordered, or not waiting for an order). The idempotency key
    is the shipment's (``shipment-<id>-<attempt>``), so a retry after a lost answer gets the
    same order back, never a second one."""
    now = timezone.now()
    with transaction.atomic():
        shipment = (
            Shipment.objects.select_for_update(**self_only())
            .select_related("offer")
            .filter(pk=shipment_id)
            .first()
        )
        if shipment is None or shipment.status != ShipmentStatus.CREATED:
            return "skipped"
        if shipment.next_try_at is None or shipment.next_try_at > now:
            return "skipped"
        courier = couriers.get(shipment.courier or None)
        shipment.order_tries += 1
        # leased while the call runs: a sweeper in another worker leaves it alone
        timeout = float(courier.options.get("TIMEOUT", 10))
        shipment.next_try_at = now + datetime.timedelta(seconds=timeout + 30)
        shipment.save(update_fields=["order_tries", "next_try_at"])
    tries = shipment.order_tries
    try:
        order = courier.place_order(shipment, shipment.idempotency_key)
    except couriers.CourierUnavailable as exc:
        delays = retry_delays()
        if tries > len(delays):
            return _give_up(shipment, _("The courier did not answer: %(error)s") % {"error": exc})
        Shipment.objects.filter(pk=shipment.pk, status=ShipmentStatus.CREATED).update(
            next_try_at=timezone.now() + datetime.timedelta(seconds=delays[tries - 1]),
            order_error=str(exc)[:300],
        )
        logger.warning("courier order %s: try %s failed: %s", shipment.pk, tries, exc)
        return "retry"
    except couriers.CourierRefused as exc:
        return _give_up(shipment, _("The courier refused the order: %(error)s") % {"error": exc})
    try:
        run(
            SHIPMENT_WORKFLOW,
            shipment.pk,
            "order",
            note=in_each_language(
                lambda: (
                    _("Order %(order)s, tracking number %(tracking)s")
                    % {"order": order.order_id, "tracking": order.tracking_number}
                )
            ),
            order_id=order.order_id,
            tracking_number=order.tracking_number,
        )
    except Refused:  # switched to a pick-up meanwhile: the order is not wanted
        transaction.on_commit(lambda: cancel_order(shipment.pk, order.order_id), robust=True)
        return "skipped"
    return "ordered"


def _give_up(shipment: Shipment, error: str) -> str:
    Shipment.objects.filter(pk=shipment.pk).update(order_error=error[:300])
    try:
        run(SHIPMENT_WORKFLOW, shipment.pk, "give_up", note=error[:1000])
    except Refused:
        return "skipped"
    return "given_up"


def place_due_orders(limit: int = 100) -> dict[str, int]:
    """The sweeper (every minute): orders due for a try, oldest first."""
    due = list(
        Shipment.objects.filter(status=ShipmentStatus.CREATED, next_try_at__lte=timezone.now())
        .order_by("next_try_at")
        .values_list("pk", flat=True)[:limit]
    )
    outcomes: dict[str, int] = {}
    for pk in due:
        outcome = place_order(pk)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def cancel_order(shipment_id: int, order_id: str = "") -> bool:
    """Cancel the courier's order (a pick-up instead). Best effort: a failure is logged."""
    shipment = Shipment.objects.filter(pk=shipment_id).first()
    order_id = order_id or (shipment.order_id if shipment else "")
    if shipment is None or not order_id:
        return False
    try:
        couriers.get(shipment.courier or None).cancel(
            order_id, f"cancel-{shipment.pk}-{shipment.attempt}"
        )
    except (couriers.CourierUnavailable, couriers.CourierRefused):
        logger.warning("courier order %s of shipment %s not cancelled", order_id, shipment.pk)
        return False
    return True


# ----- the courier's events ---------------------------------------------------------------------


def handle_courier_event(event: Event | dict[str, Any]) -> tuple[Shipment, bool]:
    """Apply one signed courier event. Returns the shipment and whether it was new (a replayed
    event id changes nothing). Each event is written to the case's log; a delivery delivers and
    closes the case too; an event for a stage already passed is recorded only."""
    from ..models import CourierEvent

    if isinstance(event, dict):
        event = couriers.CourierEvent(
            event_id=event["event_id"],
            tracking_number=event["tracking_number"],
            status=event["status"],
            occurred_at=event.get("occurred_at"),
            reason=event.get("reason", ""),
            raw=event,
        )
    with transaction.atomic():
        shipment = (
            Shipment.objects.select_for_update(**self_only())
            .select_related("offer")
            .filter(tracking_number=event.tracking_number)
            .exclude(tracking_number="")
            .first()
        )
        if shipment is None:
            raise Shipment.DoesNotExist
        if CourierEvent.objects.filter(event_id=event.event_id).exists():
            return shipment, False
        step = get(SHIPMENT_WORKFLOW).step(STEPS.get(event.status, ""))
        if step is not None and shipment.status in step.source and _ahead(shipment, event):
            if event.status == "delivered":
                _deliver_case(shipment)
            shipment = run(
                SHIPMENT_WORKFLOW,
                shipment,
                step.name,
                note=event.reason or event.event_id,
                event_id=event.event_id,
                occurred_at=event.occurred_at,
            )
        elif not _passed(shipment, event):
            raise CourierError(
                _("A %(new)s event cannot follow %(old)s.")
                % {"new": event.status, "old": shipment.status}
            )
        CourierEvent.objects.create(
            event_id=event.event_id,
            shipment=shipment,
            status=event.status,
            occurred_at=event.occurred_at,
            payload={k: str(v) for k, v in event.raw.items()},
        )
    return shipment, True


def _ahead(shipment: Shipment, event: Event) -> bool:
    """The event moves the parcel on (a late ``collected`` after ``in_transit`` does not)."""
    if event.status == "failed" or shipment.status not in PROGRESS:
        return True
    return PROGRESS[ShipmentStatus(event.status)] > PROGRESS[ShipmentStatus(shipment.status)]


def _passed(shipment: Shipment, event: Event) -> bool:
    """The event names a stage the shipment has reached or passed, or a cancel of a shipment
    not going ahead: recorded, nothing changes."""
    if event.status == shipment.status:
        return True
    if event.status == "cancelled":
        return shipment.status in (ShipmentStatus.PICKUP, ShipmentStatus.FAILED)
    if event.status in PROGRESS and shipment.status in PROGRESS:
        return PROGRESS[ShipmentStatus(event.status)] <= PROGRESS[ShipmentStatus(shipment.status)]
    return False


def _deliver_case(shipment: Shipment) -> None:
    from approvals.services import transition

    case_id = cast(int, shipment.offer.case_id)  # shipped: its case was approved
    try:
        transition(
            case_id,
            "deliver",
            note=in_each_language(
                lambda: _("Delivered by courier %(n)s") % {"n": shipment.tracking_number}
            ),
        )
        transition(case_id, "close", note=in_each_language(lambda: _("Closed on delivery.")))
    except Refused as exc:  # the case is not ready for delivery
        raise CourierError(exc.message) from exc


# ----- the holder's or staff's choice after a failure ------------------------------------------


def try_again(shipment_id: int, user: Any) -> Shipment:
    """A new delivery attempt (after a failed delivery or an order that could not be placed)."""
    return run(SHIPMENT_WORKFLOW, shipment_id, "retry", user=user)


def pick_up_instead(shipment_id: int, user: Any) -> Shipment:
    """The holder collects the certificate at the service hall; the order is cancelled."""
    return run(SHIPMENT_WORKFLOW, shipment_id, "pickup", user=user)


def on_case_handed_over(case_id: int) -> None:
    """Staff handed the certificate over in person: a shipment still under way stops."""
    shipment = Shipment.objects.filter(offer__case_id=case_id).first()
    if shipment is None or get(SHIPMENT_WORKFLOW).state(shipment.status).final:  # type: ignore[union-attr]
        return
    try:
        run(
            SHIPMENT_WORKFLOW,
            shipment.pk,
            "pickup",
            note=in_each_language(lambda: _("Handed over in person.")),
        )
    except (Refused, NotFound):
        logger.info("shipment %s left as %s", shipment.pk, shipment.status)


# ----- the effects and notices of the shipment workflow's steps ----------------------------------


def _when(ctx: Context) -> datetime.datetime:
    occurred = ctx.data.get("occurred_at")
    return occurred if isinstance(occurred, datetime.datetime) else ctx.now


def record_order(shipment: Shipment, ctx: Context) -> None:
    shipment.order_id = ctx.data["order_id"]
    shipment.tracking_number = ctx.data["tracking_number"]
    shipment.ordered_at = ctx.now
    shipment.next_try_at = None
    shipment.order_error = ""


def record_give_up(shipment: Shipment, ctx: Context) -> None:
    shipment.next_try_at = None


def mark_collected(shipment: Shipment, ctx: Context) -> None:
    shipment.collected_at = _when(ctx)


def mark_in_transit(shipment: Shipment, ctx: Context) -> None:
    if shipment.collects_old and shipment.collected_at is None:
        shipment.collected_at = _when(ctx)


def mark_delivered(shipment: Shipment, ctx: Context) -> None:
    shipment.delivered_at = _when(ctx)
    if shipment.collects_old and shipment.collected_at is None:
        shipment.collected_at = shipment.delivered_at


def mark_failed(shipment: Shipment, ctx: Context) -> None:
    shipment.failed_at = _when(ctx)


def new_attempt(shipment: Shipment, ctx: Context) -> None:
    """Back to waiting for an order: after a failed delivery a new attempt (a new key); after
    an order never placed the same attempt (the courier may have made it and lost the answer)."""
    if ctx.source == ShipmentStatus.FAILED:
        shipment.attempt += 1
        shipment.order_id = ""
        shipment.tracking_number = ""
        shipment.ordered_at = shipment.collected_at = shipment.failed_at = None
    shipment.order_tries = 0
    shipment.order_error = ""
    shipment.next_try_at = ctx.now
    if not shipment.courier:
        shipment.courier = couriers.registry.options()["PLUGIN"]


def stop_for_pickup(shipment: Shipment, ctx: Context) -> None:
    shipment.next_try_at = None


def log_on_case(shipment: Shipment, log: Any) -> None:
    """After commit: the step written to the case's log too, so its timeline shows the parcel."""
    from approvals.models import Case

    case = Case.objects.filter(reference=shipment.case_reference).first()
    if case is None:
        return

    def compose() -> str:
        note = str(get(SHIPMENT_WORKFLOW).step_label(log.step))
        if shipment.tracking_number:
            note += " · " + _("tracking number %(n)s") % {"n": shipment.tracking_number}
        if log.note and log.step in ("fail", "give_up"):
            note += " · " + log.note_text
        return note

    note = in_each_language(compose)
    write_log(
        "case",
        case,
        "courier",
        source=case.status,
        target=case.status,
        note=note,
        data={"shipment": shipment.pk, "step": log.step},
        at=log.at,
        role="system" if log.by_id is None else None,
        user=log.by,
    )


def queue_after_retry(shipment: Shipment, log: Any) -> None:
    from django_q.tasks import async_task

    async_task(PLACE_TASK, shipment.pk)


def cancel_after_pickup(shipment: Shipment, log: Any) -> None:
    if shipment.order_id and log.source in ACTIVE:
        from django_q.tasks import async_task

        async_task(CANCEL_TASK, shipment.pk, shipment.order_id)


def notify_failure(shipment: Shipment, log: Any) -> None:
    """A failed delivery (or an order never placed): the holder and the department's staff are
    told, with the case page, where they choose a new attempt or a pick-up."""
    _notify_failure(shipment, log)


def _notify_failure(shipment: Shipment, log: Any) -> None:
    from portal.accounts.models import Role, User
    from portal.notifications.models import Action
    from portal.notifications.services import send_bulk, to_person, to_staff

    from ..models import ContactRole, Offer

    offer = Offer.objects.select_related("company", "person", "item").get(pk=shipment.offer_id)
    link = settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
        "approvals:case_detail", args=[shipment.case_reference]
    )

    def compose() -> tuple[str, str]:
        subject = (
            _("Case %(reference)s: the courier could not deliver; choose a new attempt or pick-up")
            if log.step == "fail"
            else _("Case %(reference)s: the courier order could not be placed")
        ) % {"reference": shipment.case_reference}
        # the courier's reason when it gave one; never an empty message
        body = log.note_text or (
            _("Open the case to choose a new delivery attempt or to pick the certificate up.")
            if log.step == "fail"
            else _(
                "The department's staff will arrange the delivery; the case page shows each step."
            )
        )
        return subject, body

    subject, body = in_each_language(compose)
    key = f"proactive:courier-{log.step}:{shipment.pk}:{shipment.attempt}"
    messages = []
    for contact in offer.holder_contacts().filter(
        role__in=[ContactRole.LEGAL_REPRESENTATIVE, ContactRole.HOLDER]
    ):
        messages += to_person(
            user=contact.user if contact.user_id else None,
            mobile=contact.mobile if log.step == "fail" else "",
            subject=subject,
            body=body,
            sms_body=f"{subject} {link}",
            link=link,
            key=f"{key}:{contact.pk}",
            action=Action.CHOOSE_DELIVERY if log.step == "fail" else Action.VIEW_CASE,
        )
    staff = User.objects.filter(
        role=Role.DEPARTMENT_STAFF, department_id=offer.item.department_id, is_active=True
    )
    messages += to_staff(
        staff, subject=subject, body=body, link=link, key=f"{key}:staff", action=Action.VIEW_CASE
    )
    send_bulk(messages)
