"""The workflows of proactive approvals, declared once: the offer (sent, opened, answered or
lapsed) and the courier's shipment. docs/workflows/offer.md and shipment.md draw them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.workflow import State, Step, Workflow, register

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

SHIPMENT = register(Workflow(
    name="shipment",
    model="proactive.Shipment",
    states=(
        State(S.CREATED, S.CREATED.label),
        State(S.COLLECTED, S.COLLECTED.label),
        State(S.DELIVERED, S.DELIVERED.label, tone="ok", final=True),
        State(S.FAILED, S.FAILED.label, tone="alert", final=True),
    ),
    steps=(
        Step("collect", [S.CREATED], S.COLLECTED, system, _("Old certificate collected"),
             effect=courier.mark_collected),
        Step("deliver", [S.CREATED, S.COLLECTED], S.DELIVERED, system,
             _("New certificate delivered"), effect=courier.mark_delivered),
        Step("fail", [S.CREATED, S.COLLECTED], S.FAILED, system,
             _("Collection or delivery failed")),
    ),
    select_related=("offer",),
))
# fmt: on
