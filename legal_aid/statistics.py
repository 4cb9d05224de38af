"""Statistics for the justice bureau, computed in SQL: every figure is an aggregate or a
GROUP BY; medians are one ORDER BY ... LIMIT 1 OFFSET n/2 each (portable to SQLite)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from .models import (
    Category,
    Channel,
    Consultation,
    Decision,
    LegalAidApplication,
)
from .selectors import overdue_q

DECISION_TIME = ExpressionWrapper(F("decided_at") - F("received_at"), output_field=DurationField())
ASSIGNMENT_TIME = ExpressionWrapper(
    F("assigned_at") - F("decided_at"), output_field=DurationField()
)


def _counts() -> dict[str, Any]:
    return {
        "applications": Count("pk"),
        "granted": Count("pk", filter=Q(decision=Decision.GRANTED)),
        "refused": Count("pk", filter=Q(decision=Decision.REFUSED)),
    }


def _days(value: datetime.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 2)


def _median(qs: QuerySet, expression: ExpressionWrapper, not_null: str, count: int) -> float | None:
    if not count:
        return None
    ordered = (
        qs.filter(**{f"{not_null}__isnull": False})
        .annotate(span=expression)
        .order_by("span")
        .values_list("span", flat=True)
    )
    lower = ordered[(count - 1) // 2]
    if count % 2:
        return _days(lower)
    upper = ordered[count // 2]
    return _days((lower + upper) / 2)


def applications(date_from: datetime.date | None = None, date_to: datetime.date | None = None):
    qs = LegalAidApplication.objects.all()
    if date_from:
        qs = qs.filter(submitted_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(submitted_at__date__lte=date_to)
    return qs.order_by()


def statistics(
    date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> dict[str, Any]:
    qs = applications(date_from, date_to)
    today = timezone.localdate()
    totals = qs.aggregate(
        **_counts(),
        online=Count("pk", filter=Q(channel=Channel.ONLINE)),
        urgent=Count("pk", filter=~Q(urgency="")),
        aid_first=Count("pk", filter=Q(aid_first=True)),
        overdue_now=Count("pk", filter=overdue_q(today)),
        decided=Count("decided_at"),
        assigned=Count("assigned_at"),
        decisions_late=Count(
            "pk", filter=Q(decided_at__isnull=False, decision_due__lt=TruncDate("decided_at"))
        ),
        assignments_late=Count(
            "pk", filter=Q(assigned_at__isnull=False, assignment_due__lt=TruncDate("assigned_at"))
        ),
        decision_avg=Avg(DECISION_TIME),
        assignment_avg=Avg(ASSIGNMENT_TIME),
    )
    totals["decision_avg_days"] = _days(totals.pop("decision_avg"))
    totals["assignment_avg_days"] = _days(totals.pop("assignment_avg"))
    totals["decision_median_days"] = _median(qs, DECISION_TIME, "decided_at", totals["decided"])
    totals["assignment_median_days"] = _median(
        qs.filter(decided_at__isnull=False), ASSIGNMENT_TIME, "assigned_at", totals["assigned"]
    )

    by_category = list(qs.values("category").annotate(**_counts()).order_by("-applications"))
    labels = dict(Category.choices)
    for row in by_category:
        row["label"] = str(labels.get(row["category"], row["category"]))
    by_centre = list(
        qs.values("competent_centre__code", "competent_centre__name", "competent_centre__name_en")
        .annotate(**_counts(), overdue=Count("pk", filter=overdue_q(today)))
        .order_by("competent_centre__code")
    )
    by_channel = list(qs.values("channel").annotate(**_counts()).order_by("channel"))
    channel_labels = dict(Channel.choices)
    for row in by_channel:
        row["label"] = str(channel_labels.get(row["channel"], row["channel"]))
    by_month = list(
        qs.annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(**_counts(), online=Count("pk", filter=Q(channel=Channel.ONLINE)))
        .order_by("month")
    )
    for row in by_month:
        month = row["month"]
        row["month"] = month.strftime("%Y-%m") if month else ""

    calls = Consultation.objects.all()
    if date_from:
        calls = calls.filter(handled_at__date__gte=date_from)
    if date_to:
        calls = calls.filter(handled_at__date__lte=date_to)
    calls = calls.order_by()
    hotline = calls.aggregate(
        calls=Count("pk"),
        seconds=Sum("duration_seconds"),
        avg_seconds=Avg("duration_seconds"),
        suggested=Count("pk", filter=Q(suggest_application=True)),
        applications=Count("applications", distinct=True),
    )
    hotline["avg_seconds"] = round(hotline["avg_seconds"] or 0, 1)
    hotline_by_month = list(
        calls.annotate(month=TruncMonth("handled_at"))
        .values("month")
        .annotate(calls=Count("pk"))
        .order_by("month")
    )
    for row in hotline_by_month:
        row["month"] = row["month"].strftime("%Y-%m") if row["month"] else ""
    hotline_by_topic = list(calls.values("topic").annotate(calls=Count("pk")).order_by("-calls"))
    for row in hotline_by_topic:
        row["label"] = str(labels.get(row["topic"], row["topic"]))
    return {
        "totals": totals,
        "by_category": by_category,
        "by_centre": by_centre,
        "by_channel": by_channel,
        "by_month": by_month,
        "hotline": hotline,
        "hotline_by_month": hotline_by_month,
        "hotline_by_topic": hotline_by_topic,
    }


def with_bars(rows: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Add ``pct`` (share of the largest value) for the CSS bar charts."""
    top = max((row[key] or 0 for row in rows), default=0) or 1
    for row in rows:
        row["pct"] = round(100 * (row[key] or 0) / top, 1)
    return rows


def export_rows(stats: dict[str, Any]) -> list[list[Any]]:
    """The figures as one table: section, key, label, applications, granted, refused."""
    rows: list[list[Any]] = [["section", "key", "label", "applications", "granted", "refused"]]
    t = stats["totals"]
    rows.append(["total", "all", "", t["applications"], t["granted"], t["refused"]])
    for name in (
        "online",
        "urgent",
        "aid_first",
        "overdue_now",
        "decisions_late",
        "assignments_late",
        "decision_avg_days",
        "decision_median_days",
        "assignment_avg_days",
        "assignment_median_days",
    ):
        rows.append(["total", name, "", t[name], "", ""])
    for row in stats["by_category"]:
        rows.append(
            [
                "category",
                row["category"],
                row["label"],
                row["applications"],
                row["granted"],
                row["refused"],
            ]
        )
    for row in stats["by_centre"]:
        rows.append(
            [
                "centre",
                row["competent_centre__code"],
                row["competent_centre__name"],
                row["applications"],
                row["granted"],
                row["refused"],
            ]
        )
    for row in stats["by_channel"]:
        rows.append(
            [
                "channel",
                row["channel"],
                row["label"],
                row["applications"],
                row["granted"],
                row["refused"],
            ]
        )
    for row in stats["by_month"]:
        rows.append(
            ["month", row["month"], "", row["applications"], row["granted"], row["refused"]]
        )
    h = stats["hotline"]
    rows.append(["hotline", "calls", "", h["calls"], "", ""])
    rows.append(["hotline", "avg_seconds", "", h["avg_seconds"], "", ""])
    for row in stats["hotline_by_month"]:
        rows.append(["hotline_month", row["month"], "", row["calls"], "", ""])
    for row in stats["hotline_by_topic"]:
        rows.append(["hotline_topic", row["topic"], row["label"], row["calls"], "", ""])
    return rows
