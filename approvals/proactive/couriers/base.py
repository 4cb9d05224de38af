"""The interface every courier plug-in implements, and what passes through it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from django.http import HttpRequest

    from ..models import Shipment


class CourierUnavailable(Exception):
    """The courier did not answer or answered that it is down (5xx, a timeout): try again later
    with the same idempotency key."""


class CourierRefused(Exception):
    """The courier refused the order for good (a 4xx other than a timeout): trying again with
    the same data will not help; staff must look at it."""


class WebhookRefused(Exception):
    """A webhook call that is not the courier's (bad signature, stale timestamp) or cannot be
    read. ``status`` is the HTTP status to answer (403 or 400)."""

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Order:
    """The courier's answer to an order: its id and the tracking number it gave."""

    order_id: str
    tracking_number: str
    status: str = "ordered"
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CourierEvent:
    """One status change the courier reported (``status`` one of protocol.STATUSES)."""

    event_id: str
    tracking_number: str
    status: str
    occurred_at: datetime.datetime | None = None
    reason: str = ""
    raw: dict[str, Any] = field(default_factory=dict)


class Courier:
    """A courier the portal orders from. A plug-in subclasses this, registers with
    ``@register("name")`` and is chosen by ``settings.COURIER["PLUGIN"]``; its settings are the
    rest of ``settings.COURIER`` (``options``).

    - ``place_order`` must be safe to call again with the same ``idempotency_key``: the courier
      answers the order it made the first time (never a second pick-up);
    - ``cancel`` cancels an order (a parcel the holder will collect in person);
    - ``parse_webhook`` checks the courier's signature on an incoming call and reads its events
      (raises :class:`WebhookRefused`)."""

    name: ClassVar[str] = ""
    label: ClassVar[str] = ""

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = options or {}

    def place_order(self, shipment: Shipment, idempotency_key: str) -> Order:
        raise NotImplementedError

    def cancel(self, order_id: str, idempotency_key: str) -> None:
        raise NotImplementedError

    def parse_webhook(self, request: HttpRequest) -> list[CourierEvent]:
        raise NotImplementedError

    # ----- shared by plug-ins ----------------------------------------------------------------

    @staticmethod
    def order_payload(shipment: Shipment) -> dict[str, Any]:
        """What an order says, in the protocol's words (docs/courier-protocol.md)."""
        return {
            "reference": f"{shipment.case_reference}-{shipment.attempt}",
            "kind": shipment.kind,
            "recipient": {"name": shipment.recipient_name, "mobile": shipment.recipient_mobile},
            "address": shipment.address,
            "collect": ["old_certificate"] if shipment.collects_old else [],
            "deliver": ["new_certificate"],
        }
