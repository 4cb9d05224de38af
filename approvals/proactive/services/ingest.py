"""Licence events from market regulation: stored once, applied to the register, detection run
(ADR 0070, 0071), the offers they cause queued to be sent after commit."""

from __future__ import annotations

import datetime
import logging
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import OperationalError, connection, transaction
from django.utils import timezone

from portal.collector import fewer_collections

from .. import detection
from ..events import ParsedEvent, parse_batch
from ..models import (
    Company,
    LicenceEvent,
    OfferReason,
    Shareholder,
)
from .common import SEND_TASK, TASK_CHUNK, in_chunks

logger = logging.getLogger(__name__)


@dataclass
class IngestResult:
    batch: uuid.UUID
    created: int = 0
    duplicates: int = 0
    offers_created: int = 0
    events: list[dict[str, Any]] = field(default_factory=list)


def _ingest_postgresql(
    events: Sequence[ParsedEvent], batch: uuid.UUID, today: datetime.date | None
) -> tuple[dict[str, int | None], list[tuple[int, str, str, str]]]:
    """The whole batch in one statement (``detection.ingest_batch_sql``): the events go as one
    JSON document, which PostgreSQL parses faster than the driver quotes eight text arrays."""
    # orjson writes the dataclasses as they are (about 1 ms for 5,000 events).
    document = orjson.dumps(list(events)).decode()
    params: dict[str, Any] = {
        "events": document,
        "batch": batch,
        "now": timezone.now(),
        "today": today or timezone.localdate(),
    }
    stored: dict[str, int | None] = {}
    offers: list[tuple[int, str, str, str]] = []
    with connection.cursor() as cursor:
        cursor.execute(detection.ingest_batch_sql(), params)
        for event_id, company_id, offer_id, number, item_code in cursor.fetchall():
            stored[event_id] = company_id
            if offer_id is not None:
                offers.append((offer_id, event_id, number, item_code))
    return stored, offers


def _ingest_portable(
    events: Sequence[ParsedEvent], batch: uuid.UUID, today: datetime.date | None
) -> tuple[dict[str, int | None], list[tuple[int, str, str, str]]]:
    """The same work with the ORM and one detection statement (SQLite and other databases)."""
    now = timezone.now()
    company_ids: dict[str, int] = {}
    for chunk in in_chunks(list({e.uscc for e in events})):
        company_ids.update(Company.objects.filter(uscc__in=chunk).values_list("uscc", "id"))
    LicenceEvent.objects.bulk_create(
        [
            LicenceEvent(
                event_id=e.event_id,
                uscc=e.uscc,
                company_id=company_ids.get(e.uscc),
                changed_on=e.changed_on,
                changes=e.changes,
                fields_mask=e.mask,
                new_name=e.new_name,
                new_legal_representative=e.new_legal_representative,
                new_address=e.new_address,
                batch=batch,
                received_at=now,
            )
            for e in events
        ],
        batch_size=500,
        ignore_conflicts=True,  # a concurrent request stored the same id: it is theirs
    )
    batch_db = LicenceEvent._meta.get_field("batch").get_db_prep_value(batch, connection)
    with connection.cursor() as cursor:
        # The latest event of the batch wins, field by field.
        for column, target in (
            ("new_name", "name"),
            ("new_legal_representative", "legal_representative"),
            ("new_address", "address"),
        ):
            cursor.execute(
                f"""
                UPDATE proactive_company SET {target} = (
                    SELECT e.{column} FROM proactive_licenceevent e
                    WHERE e.company_id = proactive_company.id AND e.batch = %s
                      AND e.{column} IS NOT NULL
                    ORDER BY e.changed_on DESC, e.id DESC LIMIT 1
                ), updated_at = %s
                WHERE id IN (
                    SELECT e.company_id FROM proactive_licenceevent e
                    WHERE e.batch = %s AND e.{column} IS NOT NULL AND e.company_id IS NOT NULL
                )
                """,  # noqa: S608  (column names from the tuple above; values are parameters)
                [batch_db, now, batch_db],
            )
    stored: dict[str, int | None] = dict(
        LicenceEvent.objects.filter(batch=batch).values_list("event_id", "company_id")
    )
    return stored, detection.detect_licence_changes(batch, today=today)


def _replace_shareholders(
    events: Sequence[ParsedEvent], company_ids: dict[str, int | None]
) -> None:
    latest: dict[int, ParsedEvent] = {}
    for event in events:
        company_id = company_ids.get(event.event_id)
        if company_id is None or event.new_shareholders is None:
            continue
        if company_id not in latest or event.changed_on >= latest[company_id].changed_on:
            latest[company_id] = event
    if not latest:
        return
    Shareholder.objects.filter(company_id__in=list(latest)).delete()
    Shareholder.objects.bulk_create(
        [
            Shareholder(company_id=company_id, name=h["name"], share=h["share"])
            for company_id, event in latest.items()
            for h in event.new_shareholders or ()
        ],
        batch_size=1000,
    )


DEADLOCK_ATTEMPTS = 3


def _is_deadlock(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == "40P01"


def ingest_batch(raw_events: Any) -> tuple[IngestResult | None, list[dict[str, Any]]]:
    """A batch as the register feed sends it (the API, the queue): every event validated, then
    the batch ingested (:func:`ingest_licence_events`); or None and the bad events
    (``parse_batch``), nothing stored. A 5,000-event batch allocates some 100,000 short-lived
    objects: the collector runs less often meanwhile (ADR 0071, ADR 0124)."""
    with fewer_collections():
        events, bad = parse_batch(raw_events)
        if bad:
            return None, bad
        return ingest_licence_events(events), []


def ingest_licence_events(
    events: Sequence[ParsedEvent], *, today: datetime.date | None = None
) -> IngestResult:
    """Store a validated batch (known event ids are skipped), apply it to the company register,
    detect the offers it causes and, after commit, send them.

    A fixed number of statements whatever the batch size: one on PostgreSQL (ADR 0071). Two
    batches naming the same companies at the same moment can deadlock on PostgreSQL; the loser's
    transaction is rolled back whole, and as a batch is idempotent it is simply run again."""
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        try:
            return _ingest_licence_events(events, today)
        except OperationalError as exc:
            if (
                not _is_deadlock(exc)
                or connection.in_atomic_block  # an outer transaction is already lost
                or attempt == DEADLOCK_ATTEMPTS
            ):
                raise
            logger.warning("licence events: deadlock with a concurrent batch, attempt %s", attempt)
    raise AssertionError("unreachable")


@transaction.atomic
def _ingest_licence_events(
    events: Sequence[ParsedEvent], today: datetime.date | None
) -> IngestResult:
    result = IngestResult(batch=uuid.uuid4())
    unique: dict[str, ParsedEvent] = {}
    for event in events:
        unique.setdefault(event.event_id, event)
    ingest = _ingest_postgresql if connection.vendor == "postgresql" else _ingest_portable
    stored, offers = ingest(list(unique.values()), result.batch, today)
    _replace_shareholders([e for e in unique.values() if e.event_id in stored], stored)
    result.offers_created = len(offers)
    offers_by_event: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for pk, event_id, number, item_code in offers:
        offers_by_event[event_id].append(
            {
                "id": pk,
                "certificate": number,
                "item": item_code,
                "reason": OfferReason.LICENCE_CHANGE.value,
            }
        )
    for event_id in unique:
        new = event_id in stored
        result.created += new
        result.duplicates += not new
        result.events.append(
            {
                "event_id": event_id,
                "status": "stored" if new else "duplicate",
                "offers": offers_by_event.get(event_id, []),
            }
        )
    queue_offers([offer[0] for offer in offers])
    return result


def queue_offers(offer_ids: Sequence[int]) -> None:
    """After commit, hand the new offers to django-q2 to be sent, in chunks."""
    offer_ids = list(offer_ids)
    if not offer_ids:
        return

    def enqueue() -> None:
        from django_q.tasks import async_task

        for chunk in in_chunks(offer_ids, TASK_CHUNK):
            async_task(SEND_TASK, list(chunk), task_name=f"proactive-send-{chunk[0]}")

    transaction.on_commit(enqueue)
