"""Offers from the holders' past cases (ADR 0109): the daily run of the history rules, one
statement per rule, the offers sent after commit by the worker."""

from __future__ import annotations

import datetime

from django.db import transaction

from .. import history
from ..models import OfferReason
from .common import PENDING_TASK


def run_history_scan(today: datetime.date | None = None) -> int:
    """Offers for every holder whose past case a history rule names (daily schedule)."""
    with transaction.atomic():
        created = history.scan_history(today=today)
        if created:
            transaction.on_commit(_queue_pending_history_offers)
    return created


def _queue_pending_history_offers() -> None:
    from django_q.tasks import async_task

    async_task(PENDING_TASK, OfferReason.CASE_HISTORY, task_name="proactive-send-history")
