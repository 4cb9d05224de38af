"""Settings and helpers the proactive commands share."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection

from approvals.models import Channel

logger = logging.getLogger(__name__)


OFFER_WORKFLOW = "offer"  # approvals.proactive.workflows
SHIPMENT_WORKFLOW = "shipment"
PROACTIVE_CHANNEL = Channel.PROACTIVE  # the channel its cases are opened on
SEND_TASK = "approvals.proactive.tasks.send_offers"
PENDING_TASK = "approvals.proactive.tasks.send_pending_offers"
TASK_CHUNK = 1000


def self_only() -> dict[str, Any]:
    """Lock only the main table's rows (PostgreSQL refuses FOR UPDATE on outer joins)."""
    return {"of": ("self",)} if connection.features.has_select_for_update_of else {}


def config(name: str, default: Any = None) -> Any:
    """Settings of this app: ``settings.PROACTIVE[name]``, else the default."""
    return getattr(settings, "PROACTIVE", {}).get(name, default)


def link_max_age() -> int:
    return int(config("LINK_MAX_AGE_DAYS", 30)) * 86400


def in_chunks(values: Sequence, size: int = 2000) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
