"""django-q2 entry points (thin: each calls one service)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import services


def send_offers(offer_ids: Sequence[int]) -> int:
    return services.send_offers(offer_ids)


def send_pending_offers(reason: str) -> int:
    return services.send_pending_offers(reason)


def ingest_events(raw_events: list[dict[str, Any]]) -> dict[str, int]:
    """The queued path of the licence-events API (validated once more, then ingested)."""
    result, bad = services.ingest_batch(raw_events)
    if result is None:
        return {"stored": 0, "invalid": len(bad)}
    return {"stored": result.created, "offers": result.offers_created}


def daily() -> dict[str, int]:
    """The daily schedule: expiry scan, past-case rules, reminders, lapses (each set-based)."""
    return {
        "expiry_offers": services.run_expiry_scan(),
        "history_offers": services.run_history_scan(),
        "reminders": services.send_reminders(),
        "lapsed": services.lapse_offers(),
    }


def issue_certificate(case_id: int) -> int | None:
    certificate = services.issue_certificate_for_case(case_id)
    return certificate.pk if certificate else None


def place_courier_order(shipment_id: int) -> str:
    return services.place_order(shipment_id)


def place_due_courier_orders() -> dict[str, int]:
    """Every minute: orders the courier could not take yet, tried again when due."""
    return services.place_due_orders()


def cancel_courier_order(shipment_id: int, order_id: str) -> bool:
    return services.cancel_order(shipment_id, order_id)


def send_stale_offers() -> int:
    """Every minute: offers still waiting to go out, whatever made them. Their send task may
    have been lost (a worker killed in the middle of a batch: the Redis broker hands a task out
    once). Sending is idempotent (the rows are locked and only new offers are sent, one message
    per offer, contact and channel by key), so an offer whose task is merely slow is not sent
    twice."""
    from .models import OfferReason

    return sum(services.send_pending_offers(reason) for reason in OfferReason.values)
