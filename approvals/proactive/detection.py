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


def _licence_change_joins(events: str, district: str) -> str:
    """From events (alias ``events``: ``company_id``, ``fields_mask``) to the valid certificates
    of their companies (``c``) and the licence-change rules (``r``) whose fields meet the event's
    and that are active in ``district`` — the heart of licence-change detection, shared by the
    portable statement and the PostgreSQL batch statement."""
    return f"""
        JOIN proactive_certificate c ON c.company_id = {events}.company_id AND c.status = 'valid'
        JOIN proactive_proactiverule_certificate_types rt ON rt.certificatetype_id = c.type_id
        JOIN proactive_proactiverule r ON r.id = rt.proactiverule_id
         AND r.trigger = 'licence_change' AND (r.fields_mask & {events}.fields_mask) <> 0
        JOIN proactive_proactiverule_regions rr
          ON rr.proactiverule_id = r.id AND rr.region_id = {district}
    """


def licence_change_sql(rule_ids: Sequence[int] | None = None) -> str:
    """The offers for the events of one batch (the portable path: SQLite and other databases;
    PostgreSQL does the whole batch in :func:`ingest_batch_sql`)."""
    return f"""
        INSERT INTO proactive_offer ({OFFER_COLUMNS})
        SELECT c.id, c.company_id, r.item_id, r.id, 'licence_change', e.id, 'created',
               {_date_plus("%(today)s", "r.response_days")}, {_token_sql()}, %(now)s, ''
        FROM proactive_licenceevent e
        JOIN proactive_company co ON co.id = e.company_id AND co.status = 'active'
        {_licence_change_joins("e", "co.district_id")}
        WHERE e.batch = %(batch)s AND {_rule_filter("r", rule_ids)}
        ORDER BY e.id, r.id
        ON CONFLICT DO NOTHING
    """


def detect_licence_changes(
    batch: uuid.UUID, today: datetime.date | None = None
) -> list[tuple[int, str, str, str]]:
    """Offers for the events of ``batch`` (portable path). Returns, for each offer created,
    (offer id, event id, certificate number, item code)."""
    field = LicenceEvent._meta.get_field("batch")
    params = {**_params(today), "batch": field.get_db_prep_value(batch, connection)}
    with connection.cursor() as cursor:
        cursor.execute(licence_change_sql(), params)
        if cursor.rowcount <= 0:
            return []
        cursor.execute(
            f"""
            SELECT o.id, e.event_id, c.number, i.code
            FROM proactive_licenceevent e
            JOIN proactive_offer o ON o.event_id = e.id
            JOIN proactive_certificate c ON c.id = o.certificate_id
            JOIN {_items_table()} i ON i.id = o.item_id
            WHERE e.batch = %(batch)s
            ORDER BY o.id
            """,
            params,
        )
        return cursor.fetchall()


def ingest_batch_sql() -> str:
    """PostgreSQL: a whole batch of licence events in ONE statement (ADR 0071). Data-modifying
    CTEs share one snapshot, so the company row read for an event is the one the batch updates
    and detects from; each table is visited once:

    1. ``input``: the batch document (one JSON array of the parsed events, in order) joined to
       the register by USCC;
    2. ``stored``: the events inserted (a known ``event_id`` is skipped, ``ON CONFLICT``);
    3. ``applied``: the latest name / legal representative / address of each company written to
       the register (one ``UPDATE ... FROM``);
    4. ``candidates`` / ``offers``: detection, the rules' certificate types and regions against
       the stored events' certificates, inserted with ``ON CONFLICT DO NOTHING`` (the partial
       unique index: one open offer per certificate and reason).

    One row per stored event: (event id, company id, offer id, certificate number, item code),
    the offer columns NULL for an event without offers; an event with two offers has two rows.
    """
    return f"""
        WITH input AS MATERIALIZED (
            SELECT e.position, e.event_id, e.uscc, e.changed_on, e.changes, e.mask, e.new_name,
                   e.new_legal_representative, e.new_address,
                   co.id AS company_id, co.status AS company_status, co.district_id
            FROM ROWS FROM (
                jsonb_to_recordset(%(events)s::jsonb)
                AS (event_id text, uscc text, changed_on date, changes jsonb, mask int,
                    new_name text, new_legal_representative text, new_address text)
            ) WITH ORDINALITY AS e(event_id, uscc, changed_on, changes, mask, new_name,
                                   new_legal_representative, new_address, position)
            LEFT JOIN proactive_company co ON co.uscc = e.uscc
        ),
        stored AS (
            INSERT INTO proactive_licenceevent (event_id, uscc, company_id, changed_on, changes,
                fields_mask, new_name, new_legal_representative, new_address, batch, received_at)
            SELECT event_id, uscc, company_id, changed_on, changes, mask, new_name,
                   new_legal_representative, new_address, %(batch)s, %(now)s
            FROM input ORDER BY position
            ON CONFLICT (event_id) DO NOTHING
            RETURNING id, event_id, company_id, fields_mask, changed_on, new_name,
                      new_legal_representative, new_address
        ),
        latest AS (
            SELECT company_id,
                (array_agg(new_name ORDER BY changed_on DESC, id DESC)
                    FILTER (WHERE new_name IS NOT NULL))[1] AS new_name,
                (array_agg(new_legal_representative ORDER BY changed_on DESC, id DESC)
                    FILTER (WHERE new_legal_representative IS NOT NULL))[1]
                    AS new_legal_representative,
                (array_agg(new_address ORDER BY changed_on DESC, id DESC)
                    FILTER (WHERE new_address IS NOT NULL))[1] AS new_address
            FROM stored WHERE company_id IS NOT NULL AND (fields_mask & 7) <> 0
            GROUP BY company_id
        ),
        applied AS (
            UPDATE proactive_company co SET
                name = COALESCE(x.new_name, co.name),
                legal_representative = COALESCE(x.new_legal_representative,
                                                 co.legal_representative),
                address = COALESCE(x.new_address, co.address),
                updated_at = %(now)s
            FROM latest x WHERE co.id = x.company_id
        ),
        candidates AS (
            SELECT c.id AS certificate_id, c.company_id, r.item_id, r.id AS rule_id,
                   s.id AS event_pk, r.response_days
            FROM stored s
            JOIN input i ON i.event_id = s.event_id AND i.company_status = 'active'
            {_licence_change_joins("s", "i.district_id")}
            WHERE {_rule_filter("r")}
        ),
        offers AS (
            INSERT INTO proactive_offer ({OFFER_COLUMNS})
            SELECT certificate_id, company_id, item_id, rule_id, 'licence_change', event_pk,
                   'created', {_date_plus("%(today)s", "response_days")}, {_token_sql()},
                   %(now)s, ''
            FROM candidates ORDER BY event_pk, rule_id
            ON CONFLICT DO NOTHING
            RETURNING id, certificate_id, event_id, item_id
        )
        SELECT s.event_id, s.company_id, o.id, c.number, i.code
        FROM stored s
        LEFT JOIN offers o ON o.event_id = s.id
        LEFT JOIN proactive_certificate c ON c.id = o.certificate_id
        LEFT JOIN {_items_table()} i ON i.id = o.item_id
        ORDER BY o.id
    """


def _items_table() -> str:
    from portal.catalogue.models import ServiceItem

    return ServiceItem._meta.db_table


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
         AND c.expires_on <= {_date_plus("%(today)s", "%(horizon)s")}
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


def person_expiry_sql(rule_ids: Sequence[int] | None = None) -> str:
    """The expiry offers for certificates held by people (ADR 0111): the same rules and window,
    the region from the person's registered residence, the offer's copy of the holder in
    ``person_id``. The company statement above never reaches them (its join needs a company)."""
    return f"""
        INSERT INTO proactive_offer (certificate_id, person_id, item_id, rule_id, reason,
            event_id, status, deadline, token, created_at, decline_reason)
        SELECT c.id, c.person_id, r.item_id, r.id, 'expiry', NULL, 'created',
               {_date_plus("%(today)s", "r.response_days")}, {_token_sql()}, %(now)s, ''
        FROM proactive_proactiverule r
        JOIN proactive_proactiverule_certificate_types rt ON rt.proactiverule_id = r.id
        JOIN proactive_certificate c
          ON c.type_id = rt.certificatetype_id AND c.status = 'valid'
         AND c.expires_on >= %(today)s AND c.expires_on <= {_date_plus("%(today)s", "r.days")}
         AND c.expires_on <= {_date_plus("%(today)s", "%(horizon)s")}
        JOIN proactive_person p ON p.id = c.person_id AND p.status = 'active'
        JOIN proactive_proactiverule_regions rr
          ON rr.proactiverule_id = r.id AND rr.region_id = p.district_id
        WHERE r.trigger = 'expiry' AND {_rule_filter("r", rule_ids)}
          AND NOT EXISTS (
            SELECT 1 FROM proactive_offer o WHERE o.certificate_id = c.id AND o.reason = 'expiry'
          )
        ORDER BY c.id, r.id
        ON CONFLICT DO NOTHING
    """


def scan_expiries(today: datetime.date | None = None, rule_ids: Sequence[int] | None = None) -> int:
    """The daily scan: offers for every certificate expiring within its rule's days.

    The longest window of the rules in force (the horizon) is passed as a constant: with it the
    planner takes the certificates from the partial expiry index and knows how few they are,
    instead of reading every valid certificate and every company."""
    params = _params(today)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT MAX(r.days) FROM proactive_proactiverule r "
            f"WHERE r.trigger = 'expiry' AND {_rule_filter('r', rule_ids)}",
            params,
        )
        horizon = cursor.fetchone()[0]
        if horizon is None:
            return 0
        cursor.execute(expiry_sql(rule_ids), {**params, "horizon": int(horizon)})
        created = max(cursor.rowcount, 0)
        cursor.execute(person_expiry_sql(rule_ids), {**params, "horizon": int(horizon)})
        return created + max(cursor.rowcount, 0)


def dry_run_sql() -> str:
    """Who a rule would reach now, by district: holders (companies, or people for a rule on
    person-held certificates) and certificates (one aggregate per kind of holder)."""
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
        UNION ALL
        SELECT p.district_id, COUNT(DISTINCT p.id), COUNT(DISTINCT c.id)
        FROM proactive_proactiverule r
        JOIN proactive_proactiverule_certificate_types rt ON rt.proactiverule_id = r.id
        JOIN proactive_certificate c ON c.type_id = rt.certificatetype_id AND c.status = 'valid'
        JOIN proactive_person p ON p.id = c.person_id AND p.status = 'active'
        JOIN proactive_proactiverule_regions rr
          ON rr.proactiverule_id = r.id AND rr.region_id = p.district_id
        WHERE r.id = %(rule)s {window}
        GROUP BY p.district_id
        ORDER BY 1
    """


def dry_run_rows(rule_id: int, today: datetime.date | None = None) -> list[tuple[str, int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(dry_run_sql(), {**_params(today), "rule": rule_id})
        return [(row[0], int(row[1]), int(row[2])) for row in cursor.fetchall()]
