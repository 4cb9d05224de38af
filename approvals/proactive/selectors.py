"""Queries of proactive approvals: aggregated in SQL, a fixed number per page.

Every selector that serves a person takes ``user`` and cuts its rows with the model's policy
(``access.py``); ``user=None`` means a system reading on its own authority (the register feed's
key, a task), never a person."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet

from portal.access import is_signed_in, policy_for

from .models import (
    Certificate,
    Company,
    Offer,
    OfferStatus,
    ProactiveRule,
    Shipment,
)

STATUS_ORDER = ["sent", "opened", "confirmed", "declined", "lapsed"]


def _for(queryset: QuerySet, user: Any) -> QuerySet:
    """``queryset`` cut to what ``user`` may see (``None``: a system, everything)."""
    if user is None:
        return queryset
    return policy_for(queryset.model).filter(queryset, user)


def companies(
    certificate_type: str | None = None, district: str | None = None, *, user: Any = None
) -> QuerySet:
    qs = _for(Company.objects.select_related("district").order_by("uscc"), user)
    if certificate_type:
        qs = holding(qs, certificate_type)
    if district:
        qs = qs.filter(district_id=district)
    return qs


def holding(companies: QuerySet, certificate_type: str) -> QuerySet:
    """Only the companies holding a certificate of ``certificate_type`` (a type code)."""
    return companies.filter(
        id__in=Certificate.objects.filter(type__code=certificate_type).values("company_id")
    )


def company_detail(uscc: str, *, user: Any = None) -> Company:
    """One company (Company.DoesNotExist also when ``user`` may not see it)."""
    certificates = _for(Certificate.objects.select_related("type__item"), user)
    return _for(
        Company.objects.select_related("district").prefetch_related(
            Prefetch("certificates", queryset=certificates), "contacts", "shareholders"
        ),
        user,
    ).get(uscc=uscc)


def offers(company: str | None = None, status: str | None = None, *, user: Any = None) -> QuerySet:
    qs = _for(Offer.objects.select_related("certificate", "item", "company").order_by("-id"), user)
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


def _median_days(offers: QuerySet) -> float | None:
    """Median days from the licence change to the new certificate delivered, over the
    shipments of ``offers`` (the offers the viewer may see)."""
    scope_sql, scope_params = offers.order_by().values("id").query.sql_with_params()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                SELECT percentile_cont(0.5) WITHIN GROUP (
                    ORDER BY EXTRACT(EPOCH FROM (s.delivered_at - e.changed_on::timestamptz))
                ) / 86400.0
                FROM proactive_shipment s
                JOIN proactive_offer o ON o.id = s.offer_id
                JOIN proactive_licenceevent e ON e.id = o.event_id
                WHERE s.status = 'delivered' AND s.delivered_at IS NOT NULL
                  AND o.id IN ({scope_sql})
                """,  # noqa: S608  (the scope is a compiled queryset's SQL; values are parameters)
                scope_params,
            )
            value = cursor.fetchone()[0]
            return float(value) if value is not None else None
    # SQLite: order the durations in SQL and read the middle one (two queries).
    delivered = Shipment.objects.filter(
        status="delivered",
        offer__event__isnull=False,
        delivered_at__isnull=False,
        offer__in=offers.values("id"),
    )
    count = delivered.count()
    if not count:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT julianday(s.delivered_at) - julianday(e.changed_on) AS d
            FROM proactive_shipment s
            JOIN proactive_offer o ON o.id = s.offer_id
            JOIN proactive_licenceevent e ON e.id = o.event_id
            WHERE s.status = 'delivered' AND s.delivered_at IS NOT NULL
              AND o.id IN ({scope_sql})
            ORDER BY d LIMIT %s OFFSET %s
            """,  # noqa: S608  (the scope is a compiled queryset's SQL; values are parameters)
            [*scope_params, 2 - count % 2, (count - 1) // 2],
        )
        values = [row[0] for row in cursor.fetchall()]
    return sum(values) / len(values) if values else None


def dashboard(user: Any = None, today: datetime.date | None = None) -> dict[str, Any]:
    """The funnel of the offers ``user`` may see (``None``: all of them)."""
    base = _for(Offer.objects.all(), user)
    overall = base.aggregate(**_funnel_counts())
    # the English names too: English pages name items and districts in English (issue 14)
    by_item = _status_counts(base, ["item__code", "item__name", "item__name_en"])
    by_district = _status_counts(
        base, ["company__district_id", "company__district__name", "company__district__name_en"]
    )
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
        "median_days": _median_days(base),
    }


def may_download_certificate(
    user: Any, certificate: Certificate, verified_offers: list[int]
) -> bool:
    """The certificate PDF is for whoever the certificate's policy lets see it (the holder's
    representative, the issuing department's staff, administrators) and whoever VERIFIED their
    identity on one of the holder's offers in this session (``verified_offers``: only offers
    whose identity step succeeded, never ones where a code was merely asked for)."""
    if is_signed_in(user) and policy_for(Certificate).can_view(user, certificate):
        return True
    if not verified_offers:
        return False
    holder = (
        {"company_id": certificate.company_id}
        if certificate.company_id
        else {"person_id": certificate.person_id}
    )
    return Offer.objects.filter(pk__in=verified_offers, **holder).exists()


# ----- a proactive case on its page and in the API: documents and the parcel's tracking --------

#: The shipment's steps a timeline shows, in the words of the holder (the kernel's log rows).
TRACKING_STEPS = ("order", "give_up", "collect", "transit", "deliver", "fail", "retry", "pickup")


def offer_of_case(case: Any) -> Offer | None:
    """The offer a proactive case was opened for, with its certificates and shipment."""
    return (
        Offer.objects.select_related(
            "certificate__type", "new_certificate__type", "company", "item__department"
        )
        .filter(case_id=case.pk)
        .first()
    )


def shipment_of(offer: Offer) -> Shipment | None:
    try:
        return offer.shipment
    except Shipment.DoesNotExist:
        return None


def tracking(shipment: Shipment) -> list[dict[str, Any]]:
    """The parcel's timeline: each step the shipment took (ordered, collected, in transit,
    delivered, failed, a new attempt, a pick-up), when and with what note, oldest first."""
    from portal.workflow import get, log_of

    workflow = get("shipment")
    rows = []
    for row in log_of(shipment):
        if row.step not in TRACKING_STEPS:
            continue
        state = workflow.state(row.target)
        rows.append(
            {
                "step": row.step,
                "label": workflow.step_label(row.step),
                "status": row.target,
                "status_label": workflow.state_label(row.target),
                "at": row.at,
                "note": row.note_text,
                "tone": state.tone if state else "warn",
            }
        )
    return rows


def case_documents(offer: Offer) -> list[dict[str, Any]]:
    """The certificates of a proactive case with their verification codes: the new one (with
    its PDF) and the one it replaces."""
    documents = []
    new = offer.new_certificate
    if new is not None:
        documents.append(
            {"kind": "new_certificate", "certificate": new, "code": new.verification_code}
        )
    old = offer.certificate
    documents.append({"kind": "old_certificate", "certificate": old, "code": old.verification_code})
    return documents


def failed_orders(user: Any = None) -> QuerySet:
    """Shipments whose order could not be placed or whose delivery failed, that ``user`` may
    see (staff's badge and the admin's filter)."""
    from .models import ShipmentStatus

    return _for(
        Shipment.objects.filter(status__in=[ShipmentStatus.ORDER_FAILED, ShipmentStatus.FAILED]),
        user,
    )
