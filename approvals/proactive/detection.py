"""Detection: which certificates get an offer. Set-based SQL, one statement per run, whatever the
number of companies (ADR 0070). Works on PostgreSQL and SQLite; the two dialects differ only in
date arithmetic and the random token.

- Licence change: the certificates of the companies named by a batch of events × the active
  licence-change rules whose fields meet the changed fields, for the rule's certificate types and
  regions.
- Expiry: every valid certificate expiring within a rule's days, for the active expiry rules,
  unless it had an expiry offer already.

A certificate never gets two open offers for the same reason: the partial unique index
``one_open_offer_per_certificate_reason`` and ``ON CONFLICT DO NOTHING``.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

from .models import LicenceEvent

OFFER_COLUMNS = (
    "certificate_id, company_id, item_id, rule_id, reason, event_id, status, deadline, token, "
    "created_at, decline_reason"
)


def _date_plus(date_sql: str, days_sql: str) -> str:
    if connection.vendor == "postgresql":
        return f"(CAST({date_sql} AS date) + {days_sql})"
    return f"date({date_sql}, '+' || {days_sql} || ' days')"


def _token_sql() -> str:
    if connection.vendor == "postgresql":
        return "replace(CAST(gen_random_uuid() AS text), '-', '')"
    return "lower(hex(randomblob(16)))"


def _rule_filter(alias: str = "r", rule_ids: Sequence[int] | None = None, *, active=True) -> str:
    parts = [
        f"{alias}.valid_from <= %(today)s",
        f"({alias}.valid_to IS NULL OR {alias}.valid_to >= %(today)s)",
    ]
    if active:
        parts.append(f"{alias}.active")
    if rule_ids is not None:
        ids = ",".join(str(int(i)) for i in rule_ids) or "NULL"
        parts.append(f"{alias}.id IN ({ids})")
    return " AND ".join(parts)


def _params(today: datetime.date | None) -> dict:
    today = today or timezone.localdate()
    return {"today": today, "now": timezone.now()}


def _events_filter() -> str:
    """The events of this batch: by their ids on PostgreSQL (no index on the batch column is
    needed, ADR 0071), by the batch elsewhere."""
    if connection.vendor == "postgresql":
        return "e.id = ANY(%(ids)s)"
    return "e.batch = %(batch)s"


def licence_change_sql(rule_ids: Sequence[int] | None = None) -> str:
    return f"""
        INSERT INTO proactive_offer ({OFFER_COLUMNS})
        SELECT c.id, c.company_id, r.item_id, r.id, 'licence_change', e.id, 'created',
               {_date_plus("%(today)s", "r.response_days")}, {_token_sql()}, %(now)s, ''
        FROM proactive_licenceevent e
        JOIN proactive_certificate c ON c.company_id = e.company_id AND c.status = 'valid'
        JOIN proactive_company co ON co.id = c.company_id AND co.status = 'active'
        JOIN proactive_proactiverule_certificate_types rt ON rt.certificatetype_id = c.type_id
        JOIN proactive_proactiverule r ON r.id = rt.proactiverule_id
        JOIN proactive_proactiverule_regions rr
          ON rr.proactiverule_id = r.id AND rr.region_id = co.district_id
        WHERE {_events_filter()} AND r.trigger = 'licence_change'
          AND (r.fields_mask & e.fields_mask) <> 0 AND {_rule_filter("r", rule_ids)}
        ORDER BY e.id, r.id
        ON CONFLICT DO NOTHING
    """


def detect_licence_changes(
    batch: uuid.UUID, today: datetime.date | None = None, ids: Sequence[int] | None = None
) -> list[tuple[int, str, str, str, str]]:
    """Offers for the events of ``batch``. Returns, for each offer created, (offer id, event id,
    certificate number, item code, reason): on PostgreSQL from the INSERT itself (a CTE with
    RETURNING), elsewhere by a second query."""
    from portal.catalogue.models import ServiceItem

    field = LicenceEvent._meta.get_field("batch")
    params = {**_params(today), "batch": field.get_db_prep_value(batch, connection)}
    if connection.vendor == "postgresql":
        params["ids"] = list(ids or ())
    items = ServiceItem._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""
                WITH new AS ({licence_change_sql()}
                    RETURNING id, event_id, certificate_id, item_id, reason)
                SELECT new.id, e.event_id, c.number, i.code, new.reason
                FROM new
                JOIN proactive_licenceevent e ON e.id = new.event_id
                JOIN proactive_certificate c ON c.id = new.certificate_id
                JOIN {items} i ON i.id = new.item_id
                ORDER BY new.id
                """,
                params,
            )
            return cursor.fetchall()
        cursor.execute(licence_change_sql(), params)
        if cursor.rowcount <= 0:
            return []
        cursor.execute(
            f"""
            SELECT o.id, e.event_id, c.number, i.code, o.reason
            FROM proactive_licenceevent e
            JOIN proactive_offer o ON o.event_id = e.id
            JOIN proactive_certificate c ON c.id = o.certificate_id
            JOIN {items} i ON i.id = o.item_id
            WHERE e.batch = %(batch)s
            ORDER BY o.id
            """,
            params,
        )
        return cursor.fetchall()


def expiry_sql(rule_ids: Sequence[int] | None = None) -> str:
    return f"""
        INSERT INTO proactive_offer ({OFFER_COLUMNS})
        SELECT c.id, c.company_id, r.item_id, r.id, 'expiry', NULL, 'created',
               {_date_plus("%(today)s", "r.response_days")}, {_token_sql()}, %(now)s, ''
        FROM proactive_proactiverule r
        JOIN proactive_proactiverule_certificate_types rt ON rt.proactiverule_id = r.id
        JOIN proactive_certificate c
          ON c.type_id = rt.certificatetype_id AND c.status = 'valid'
         AND c.expires_on >= %(today)s AND c.expires_on <= {_date_plus("%(today)s", "r.days")}
        JOIN proactive_company co ON co.id = c.company_id AND co.status = 'active'
        JOIN proactive_proactiverule_regions rr
          ON rr.proactiverule_id = r.id AND rr.region_id = co.district_id
        WHERE r.trigger = 'expiry' AND {_rule_filter("r", rule_ids)}
          AND NOT EXISTS (
            SELECT 1 FROM proactive_offer o WHERE o.certificate_id = c.id AND o.reason = 'expiry'
          )
        ORDER BY c.id, r.id
        ON CONFLICT DO NOTHING
    """


def scan_expiries(today: datetime.date | None = None, rule_ids: Sequence[int] | None = None) -> int:
    """The daily scan: offers for every certificate expiring within its rule's days."""
    with connection.cursor() as cursor:
        cursor.execute(expiry_sql(rule_ids), _params(today))
        return max(cursor.rowcount, 0)


def dry_run_sql() -> str:
    """Who a rule would reach now, by district: companies and certificates (one aggregate)."""
    window = f"""
        AND (r.trigger <> 'expiry' OR (c.expires_on >= %(today)s
             AND c.expires_on <= {_date_plus("%(today)s", "r.days")}))
    """
    return f"""
        SELECT co.district_id, COUNT(DISTINCT co.id), COUNT(DISTINCT c.id)
        FROM proactive_proactiverule r
        JOIN proactive_proactiverule_certificate_types rt ON rt.proactiverule_id = r.id
        JOIN proactive_certificate c ON c.type_id = rt.certificatetype_id AND c.status = 'valid'
        JOIN proactive_company co ON co.id = c.company_id AND co.status = 'active'
        JOIN proactive_proactiverule_regions rr
          ON rr.proactiverule_id = r.id AND rr.region_id = co.district_id
        WHERE r.id = %(rule)s {window}
        GROUP BY co.district_id
        ORDER BY co.district_id
    """


def dry_run_rows(rule_id: int, today: datetime.date | None = None) -> list[tuple[str, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(dry_run_sql(), {**_params(today), "rule": rule_id})
        return [(row[0], int(row[1]), int(row[2])) for row in cursor.fetchall()]
