"""Queries of proactive approvals: aggregated in SQL, a fixed number per page."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet

from .models import (
    Certificate,
    Company,
    ContactPerson,
    Offer,
    OfferStatus,
    ProactiveRule,
    Shipment,
)

STATUS_ORDER = ["sent", "opened", "confirmed", "declined", "lapsed"]


def companies(certificate_type: str | None = None, district: str | None = None) -> QuerySet:
    qs = Company.objects.select_related("district").order_by("uscc")
    if certificate_type:
        qs = qs.filter(
            id__in=Certificate.objects.filter(type__code=certificate_type).values("company_id")
        )
    if district:
        qs = qs.filter(district_id=district)
    return qs


def company_detail(uscc: str) -> Company:
    return (
        Company.objects.select_related("district")
        .prefetch_related("certificates__type__item", "contacts", "shareholders")
        .get(uscc=uscc)
    )


def offers(company: str | None = None, status: str | None = None) -> QuerySet:
    qs = Offer.objects.select_related("certificate", "item", "company").order_by("-id")
    if company:
        qs = qs.filter(company__uscc=company)
    if status:
        qs = qs.filter(status=status)
    return qs


def rules() -> QuerySet:
    return ProactiveRule.objects.select_related("item").prefetch_related(
        "certificate_types", "regions"
    )


def _funnel_counts() -> dict[str, Count]:
    """One conditional count per stage. "Sent" and "opened" count every offer that got that
    far, whatever happened next (an opened offer may since be confirmed or declined); confirmed,
    declined and lapsed are where offers ended."""
    return {
        "total": Count("id"),
        "sent": Count("id", filter=~Q(status=OfferStatus.CREATED)),
        "opened": Count("id", filter=Q(opened_at__isnull=False)),
        **{s: Count("id", filter=Q(status=s)) for s in ("confirmed", "declined", "lapsed")},
    }


def _status_counts(rows_qs: QuerySet, group: list[str]) -> list[dict[str, Any]]:
    """Offers by ``group``, counted by stage (``_funnel_counts``)."""
    return list(rows_qs.values(*group).annotate(**_funnel_counts()).order_by(*group))


def _median_days() -> float | None:
    """Median days from the licence change to the new certificate delivered."""
    delivered = Shipment.objects.filter(
        status="delivered", offer__event__isnull=False, delivered_at__isnull=False
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT percentile_cont(0.5) WITHIN GROUP (
                    ORDER BY EXTRACT(EPOCH FROM (s.delivered_at - e.changed_on::timestamptz))
                ) / 86400.0
                FROM proactive_shipment s
                JOIN proactive_offer o ON o.id = s.offer_id
                JOIN proactive_licenceevent e ON e.id = o.event_id
                WHERE s.status = 'delivered' AND s.delivered_at IS NOT NULL
                """
            )
            value = cursor.fetchone()[0]
            return float(value) if value is not None else None
    # SQLite: order the durations in SQL and read the middle one (two queries).
    count = delivered.count()
    if not count:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT julianday(s.delivered_at) - julianday(e.changed_on) AS d
            FROM proactive_shipment s
            JOIN proactive_offer o ON o.id = s.offer_id
            JOIN proactive_licenceevent e ON e.id = o.event_id
            WHERE s.status = 'delivered' AND s.delivered_at IS NOT NULL
            ORDER BY d LIMIT %s OFFSET %s
            """,
            [2 - count % 2, (count - 1) // 2],
        )
        values = [row[0] for row in cursor.fetchall()]
    return sum(values) / len(values) if values else None


def dashboard(today: datetime.date | None = None) -> dict[str, Any]:
    base = Offer.objects.all()
    overall = base.aggregate(**_funnel_counts())
    by_item = _status_counts(base, ["item__code", "item__name"])
    by_district = _status_counts(base, ["company__district_id", "company__district__name"])
    peak = max([overall["total"], 1])
    for row in by_item + by_district:
        row["percent"] = round(100 * row["total"] / peak, 1) if peak else 0
        row["confirmed_percent"] = round(100 * row["confirmed"] / peak, 1) if peak else 0
    funnel = [
        {
            "status": s,
            "label": dict(OfferStatus.choices)[s],
            "count": overall[s],
            "percent": round(100 * overall[s] / max(overall["total"], 1), 1),
        }
        for s in STATUS_ORDER
    ]
    return {
        "overall": overall,
        "funnel": funnel,
        "by_item": by_item,
        "by_district": by_district,
        "median_days": _median_days(),
    }


def may_download_certificate(
    user: Any, certificate: Certificate, verified_offers: list[int]
) -> bool:
    """The certificate PDF is for staff, the holder's contacts with an account, and whoever
    verified their identity on one of the holder's offers in this session (``verified_offers``)."""
    if user.is_authenticated and (
        user.is_staff
        or ContactPerson.objects.filter(company_id=certificate.company_id, user=user).exists()
    ):
        return True
    return Offer.objects.filter(pk__in=verified_offers, company_id=certificate.company_id).exists()
