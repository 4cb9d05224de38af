"""The workflows of proactive approvals, declared once: the offer (sent, opened, answered or
lapsed) and the courier's shipment. docs/workflows/offer.md and shipment.md draw them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.workflow import State, Step, Workflow, register

from .access import holder_staff_or_system as holder
from .access import offer_contact_or_system as contact
from .access import system_only as system
from .models import OfferStatus as O
from .models import ShipmentStatus as S
from .services import courier, offers

OPEN = [O.CREATED, O.SENT, O.OPENED]

# fmt: off
OFFER = register(Workflow(
    name="offer",
    model="proactive.Offer",
    states=(
        State(O.CREATED, O.CREATED.label),
        State(O.SENT, O.SENT.label),
        State(O.OPENED, O.OPENED.label),
        State(O.CONFIRMED, O.CONFIRMED.label, tone="ok", final=True),
        State(O.DECLINED, O.DECLINED.label, tone="alert", final=True),
        State(O.LAPSED, O.LAPSED.label, tone="alert", final=True),
    ),
    steps=(
        Step("send", [O.CREATED], O.SENT, system, _("Send to the contacts"),
             effect=offers.mark_sent),
        Step("open", [O.CREATED, O.SENT], O.OPENED, contact, _("Open the signed link"),
             effect=offers.mark_opened),
        Step("confirm", [O.OPENED], O.CONFIRMED, contact, _("Confirm the application"),
             inputs=("case",), effect=offers.record_confirmation),
        Step("decline", OPEN, O.DECLINED, contact, _("Decline the offer"),
             inputs=("reason",), effect=offers.record_decline),
        Step("lapse", OPEN, O.LAPSED, system, _("Lapse at the deadline"),
             effect=offers.record_lapse),
    ),
    select_related=("company",),
))

ACTIVE = [S.ORDERED, S.COLLECTED, S.IN_TRANSIT]
LOG = courier.log_on_case

SHIPMENT = register(Workflow(
    name="shipment",
    model="proactive.Shipment",
    states=(
        State(S.CREATED, S.CREATED.label),
        State(S.ORDERED, S.ORDERED.label),
        State(S.COLLECTED, S.COLLECTED.label),
        State(S.IN_TRANSIT, S.IN_TRANSIT.label),
        State(S.DELIVERED, S.DELIVERED.label, tone="ok", final=True),
        State(S.FAILED, S.FAILED.label, tone="alert"),
        State(S.ORDER_FAILED, S.ORDER_FAILED.label, tone="alert"),
        State(S.PICKUP, S.PICKUP.label, tone="ok", final=True),
    ),
    steps=(
        Step("order", [S.CREATED], S.ORDERED, system, _("Order placed with the courier"),
             inputs=("order_id", "tracking_number"), effect=courier.record_order, notice=LOG),
        Step("give_up", [S.CREATED], S.ORDER_FAILED, system,
             _("The courier order could not be placed"), effect=courier.record_give_up,
             notice=(LOG, courier.notify_failure)),
        Step("collect", [S.ORDERED], S.COLLECTED, system, _("Old certificate collected"),
             inputs=("event_id", "occurred_at"), effect=courier.mark_collected, notice=LOG),
        Step("transit", [S.ORDERED, S.COLLECTED], S.IN_TRANSIT, system, _("In transit"),
             inputs=("event_id", "occurred_at"), effect=courier.mark_in_transit, notice=LOG),
        Step("deliver", ACTIVE, S.DELIVERED, system, _("New certificate delivered"),
             inputs=("event_id", "occurred_at"), effect=courier.mark_delivered, notice=LOG),
        Step("fail", ACTIVE, S.FAILED, system, _("Collection or delivery failed"),
             inputs=("event_id", "occurred_at"), effect=courier.mark_failed,
             notice=(LOG, courier.notify_failure)),
        Step("retry", [S.FAILED, S.ORDER_FAILED], S.CREATED, holder, _("Try the delivery again"),
             effect=courier.new_attempt, notice=(LOG, courier.queue_after_retry)),
        Step("pickup", [S.CREATED, *ACTIVE, S.FAILED, S.ORDER_FAILED], S.PICKUP, holder,
             _("Pick up at the service hall instead"), effect=courier.stop_for_pickup,
             notice=(LOG, courier.cancel_after_pickup)),
    ),
    select_related=("offer", "offer__item"),
))
# fmt: on
