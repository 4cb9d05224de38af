"""The couriers known to the portal, by name, as the identity providers are
(:mod:`approvals.proactive.identity`): a plug-in registers with ``@register("name")``; the one
in use is ``settings.COURIER["PLUGIN"]``."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from portal.plugins import Plugins

from .base import Courier

COURIERS: Plugins[Courier] = Plugins("courier plug-in")
register = COURIERS.register

DEFAULTS: dict[str, Any] = {
    "PLUGIN": "http_json",
    "URL": "http://127.0.0.1:8025",
    "TIMEOUT": 10,
    # seconds to wait before the 1st, 2nd, ... retry of an order the courier could not take;
    # after the last one the order is given up and staff see it
    "RETRY_DELAYS": [30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600],
}


def options() -> dict[str, Any]:
    """``settings.COURIER`` over the defaults; the shared secret defaults to the webhook's."""
    merged = {**DEFAULTS, **getattr(settings, "COURIER", {})}
    merged["SECRET"] = merged.get("SECRET") or settings.COURIER_WEBHOOK_SECRET
    return merged


def _load_builtin() -> None:
    from . import http_json  # noqa: F401  (registers itself)


def get(name: str | None = None) -> Courier:
    """The courier plug-in ``name`` (default: the configured one), with its options."""
    _load_builtin()
    config = options()
    name = name or config["PLUGIN"]
    return COURIERS[name](config)


def registered() -> list[str]:
    _load_builtin()
    return sorted(COURIERS.names())
