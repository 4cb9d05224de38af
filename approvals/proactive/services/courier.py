"""The courier: signed delivery events move the shipment workflow and the case."""

from __future__ import annotations

import logging
from typing import Any, cast

from django.db import transaction
from django.utils.translation import gettext as _

from portal.workflow import Context, Refused, get, run

from ..models import (
    Shipment,
)
from .common import SHIPMENT_WORKFLOW, self_only

logger = logging.getLogger(__name__)


class CourierError(Exception):
    """The courier event cannot be applied now (HTTP 409)."""


# The courier's status -> the shipment workflow's step that reaches it.
STEPS = {"collected": "collect", "delivered": "deliver", "failed": "fail"}


def handle_courier_event(payload: dict[str, Any]) -> tuple[Shipment, bool]:
    """Apply one signed courier event. Returns the shipment and whether it was new (a replayed
    event id changes nothing). A delivery delivers and closes the case too."""
    from approvals.services import transition

    from ..models import CourierEvent

    with transaction.atomic():
        shipment = (
            Shipment.objects.select_for_update(**self_only())
            .select_related("offer")
            .filter(tracking_number=payload["tracking_number"])
            .first()
        )
        if shipment is None:
            raise Shipment.DoesNotExist
        if CourierEvent.objects.filter(event_id=payload["event_id"]).exists():
            return shipment, False
        status = payload["status"]
        step = get(SHIPMENT_WORKFLOW).step(STEPS.get(status, ""))
        if step is not None and shipment.status in step.source:
            if status == "delivered":
                case_id = cast(int, shipment.offer.case_id)  # shipped: its case was approved
                try:
                    transition(
                        case_id,
                        "deliver",
                        note=_("Delivered by courier %(n)s") % {"n": shipment.tracking_number},
                    )
                    transition(case_id, "close", note=_("Closed on delivery."))
                except Refused as exc:  # the case is not ready for delivery
                    raise CourierError(exc.message) from exc
            shipment = run(SHIPMENT_WORKFLOW, shipment, step.name, note=payload["event_id"])
        elif status != shipment.status:
            raise CourierError(
                _("A %(new)s event cannot follow %(old)s.")
                % {"new": status, "old": shipment.status}
            )
        CourierEvent.objects.create(
            event_id=payload["event_id"], shipment=shipment, status=status, payload=payload
        )
    return shipment, True


# ----- the effects of the shipment workflow's steps ------------------------------------------


def mark_collected(shipment: Shipment, ctx: Context) -> None:
    shipment.collected_at = ctx.now


def mark_delivered(shipment: Shipment, ctx: Context) -> None:
    shipment.delivered_at = ctx.now
    if shipment.collected_at is None:
        shipment.collected_at = ctx.now
