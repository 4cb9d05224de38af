"""Rules on the holder's past cases (ADR 0109): "根据申请人的历史办件记录".

A company that completed an item (establishment registration, say) is offered the follow-on item
within N days; a holder whose annual item was handled last year is offered this year's.

Detection stays set-based: ONE statement per history rule and day, whatever the number of cases
(an ``INSERT ... SELECT`` over the completed cases of the rule's past item × the holders'
certificates of the rule's types, in the rule's regions). The offer is about the certificate the
item concerns (the offer's certificate, as for the other triggers). It is made once per rule,
certificate and period: not again while an offer of the rule for the certificate was made since
the period began, nor when the holder has already applied for the item in it. A certificate
still has at most one open offer of this reason at a time (the partial unique index).

The dry run uses the same candidates: counts by district and a sample of who would get an offer.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.utils import timezone

from . import detection
from .models import HistoryWindow, ProactiveRule, Trigger

# A case counts as completed once its result is issued (then delivered and closed).
COMPLETED = ("result_issued", "delivered", "closed")


@dataclass(frozen=True)
class Window:
    """The past case's completion between ``done_from`` and ``done_to``; the offer is not made
    again (nor when the holder applied for the item) since ``since``."""

    done_from: datetime.datetime
    done_to: datetime.datetime
    since: datetime.datetime


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def window(rule: ProactiveRule, today: datetime.date) -> Window:
    tomorrow = _start_of(today + datetime.timedelta(days=1))
    if rule.history_window == HistoryWindow.LAST_YEAR:
        this_year = _start_of(datetime.date(today.year, 1, 1))
        return Window(_start_of(datetime.date(today.year - 1, 1, 1)), this_year, this_year)
    start = _start_of(today - datetime.timedelta(days=int(rule.days or 0)))
    return Window(start, tomorrow, start)


def _candidates_sql() -> str:
    """(certificate, company, district, triggering case) for one history rule: the holders whose
    case of the past item was completed in the window, with a valid certificate of the rule's
    types, active and registered in the rule's regions, not offered or applied since."""
    from approvals.models import Case

    cases = Case._meta.db_table
    completed = ", ".join(f"'{s}'" for s in COMPLETED)
    return f"""
        SELECT c.id AS certificate_id, co.id AS company_id, co.district_id,
               k.case_id, co.name AS company_name, c.number AS certificate_number
        FROM (
            SELECT past.applicant_id_number AS uscc, MAX(past.id) AS case_id
            FROM {cases} past
            JOIN proactive_proactiverule r0 ON r0.id = %(rule)s
             AND past.item_id = r0.history_item_id
            WHERE past.applicant_kind = 'company' AND past.status IN ({completed})
              AND COALESCE(past.decided_at, past.closed_at) >= %(done_from)s
              AND COALESCE(past.decided_at, past.closed_at) < %(done_to)s
            GROUP BY past.applicant_id_number
        ) k
        JOIN proactive_company co ON co.uscc = k.uscc AND co.status = 'active'
        JOIN proactive_proactiverule r ON r.id = %(rule)s
        JOIN proactive_proactiverule_regions rr
          ON rr.proactiverule_id = r.id AND rr.region_id = co.district_id
        JOIN proactive_proactiverule_certificate_types rt ON rt.proactiverule_id = r.id
        JOIN proactive_certificate c
          ON c.company_id = co.id AND c.type_id = rt.certificatetype_id AND c.status = 'valid'
        WHERE NOT EXISTS (
            SELECT 1 FROM proactive_offer o
            WHERE o.certificate_id = c.id AND o.reason = 'case_history' AND o.rule_id = r.id
              AND o.created_at >= %(since)s
          )
          AND co.uscc NOT IN (
            -- one hashed set of who applied for the item since (not a probe per candidate:
            -- cases have no index on the applicant, and the window's size is hard to estimate)
            SELECT later.applicant_id_number FROM {cases} later
            WHERE later.item_id = %(item)s AND later.submitted_at >= %(since)s
          )
    """


def _cases_table() -> str:
    from approvals.models import Case

    return Case._meta.db_table


def offers_sql() -> str:
    return f"""
        INSERT INTO proactive_offer ({detection.OFFER_COLUMNS})
        SELECT x.certificate_id, x.company_id, r.item_id, r.id, 'case_history', NULL, 'created',
               {detection._date_plus("%(today)s", "r.response_days")}, {detection._token_sql()},
               %(now)s, ''
        FROM ({_candidates_sql()}) x
        JOIN proactive_proactiverule r ON r.id = %(rule)s
        ORDER BY x.certificate_id
        ON CONFLICT DO NOTHING
    """


def _params(rule: ProactiveRule, today: datetime.date | None) -> dict[str, Any]:
    today = today or timezone.localdate()
    w = window(rule, today)
    stamp = connection.ops.adapt_datetimefield_value
    return {
        "rule": rule.pk,
        "item": rule.item_id,
        "today": today,
        "now": timezone.now(),
        "done_from": stamp(w.done_from),
        "done_to": stamp(w.done_to),
        "since": stamp(w.since),
    }


def history_rules(today: datetime.date | None = None) -> list[ProactiveRule]:
    today = today or timezone.localdate()
    return list(
        ProactiveRule.objects.filter(
            trigger=Trigger.CASE_HISTORY, active=True, valid_from__lte=today
        )
        .exclude(valid_to__lt=today)
        .exclude(history_item__isnull=True)
        .order_by("pk")
    )


def scan_history(today: datetime.date | None = None) -> int:
    """The daily run: one INSERT ... SELECT per active history rule. Returns offers made."""
    made = 0
    with connection.cursor() as cursor:
        for rule in history_rules(today):
            cursor.execute(offers_sql(), _params(rule, today))
            made += max(cursor.rowcount, 0)
    return made


def dry_run_rows(
    rule: ProactiveRule, today: datetime.date | None = None, sample: int = 10
) -> tuple[list[tuple[str, int, int]], list[dict[str, Any]]]:
    """Who the rule would reach today: (district, companies, certificates) and a sample of the
    holders (company, certificate, the past case that triggers it). Two queries."""
    params = {**_params(rule, today), "sample": sample}
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT x.district_id, COUNT(DISTINCT x.company_id), COUNT(*)
            FROM ({_candidates_sql()}) x GROUP BY x.district_id ORDER BY x.district_id
            """,
            params,
        )
        rows = [(code, int(companies), int(n)) for code, companies, n in cursor.fetchall()]
        # The sample: the candidates computed once (MATERIALIZED: the same hashed plan as the
        # counts), the first few by case id (the past case is the holder's latest, MAX(id)) by
        # a top-N sort, and only those joined to their case for its reference. Ordered by the
        # case's reference, the planner walked the cases' reference index and evaluated the
        # candidates per case: minutes at a million cases.
        cursor.execute(
            f"""
            WITH x AS MATERIALIZED ({_candidates_sql()}),
            first AS (
                SELECT * FROM x ORDER BY x.case_id, x.certificate_id LIMIT %(sample)s
            )
            SELECT f.company_name, f.certificate_number, k.reference
            FROM first f JOIN {_cases_table()} k ON k.id = f.case_id
            ORDER BY f.case_id, f.certificate_id
            """,
            params,
        )
        who = [
            {"company": name, "certificate": number, "case": reference}
            for name, number, reference in cursor.fetchall()
        ]
    return rows, who
