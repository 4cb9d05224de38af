"""Couriers as plug-ins behind one interface (:mod:`.base`), found by name in :mod:`.registry`.

The first plug-in, :mod:`.http_json`, speaks the JSON-over-HTTPS protocol of
docs/courier-protocol.md; :mod:`.devserver` is the project's own courier server speaking it (for
the tests and ``make run``); :mod:`.protocol` is what both sides share (signatures, statuses),
without Django. ADR docs/adr/0098-courier-plugins.md."""

from .base import (
    Courier,
    CourierEvent,
    CourierRefused,
    CourierUnavailable,
    Order,
    WebhookRefused,
)
from .registry import get, register, registered

__all__ = [
    "Courier",
    "CourierEvent",
    "CourierRefused",
    "CourierUnavailable",
    "Order",
    "WebhookRefused",
    "get",
    "register",
    "registered",
]
