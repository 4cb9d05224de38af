"""Statistics for the justice bureau, the centres and administrators (each their scope),
computed in SQL: every figure is an aggregate or a GROUP BY; medians are one
ORDER BY ... LIMIT 1 OFFSET n/2 each (portable to SQLite)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone

from .models import (
    Category,
    Centre,
    Channel,
    Consultation,
    Decision,
    LegalAidApplication,
)
from .selectors import overdue_q


def _counts() -> dict[str, Any]:
    return {
        "applications": Count("pk"),
        "granted": Count("pk", filter=Q(decision=Decision.GRANTED)),
        "refused": Count("pk", filter=Q(decision=Decision.REFUSED)),
    }


def _days(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 86400, 2)


def _median(qs: QuerySet, column: str, count: int) -> float | None:
    """The median of an integer column: one ORDER BY ... LIMIT 2 OFFSET (n-1)/2 query."""
    if not count:
        return None
    ordered = (
        qs.filter(**{f"{column}__isnull": False}).order_by(column).values_list(column, flat=True)
    )
    middle = list(ordered[(count - 1) // 2 : (count - 1) // 2 + 2])
    if count % 2 or len(middle) < 2:
        return _days(middle[0])
    return _days((middle[0] + middle[1]) / 2)


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _period(qs: QuerySet, field: str, date_from, date_to) -> QuerySet:
    """A date range as a datetime range (an index range scan, no per-row date function)."""
    if date_from:
        qs = qs.filter(**{f"{field}__gte": _day_start(date_from)})
    if date_to:
        qs = qs.filter(**{f"{field}__lt": _day_start(date_to + datetime.timedelta(days=1))})
    return qs.order_by()


def applications(
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    scope: Q | None = None,
):
    qs = LegalAidApplication.objects.all()
    if scope is not None and scope != Q():
        qs = qs.filter(scope)
    return _period(qs, "submitted_at", date_from, date_to)


def _blank(**keys: Any) -> dict[str, Any]:
    return {**keys, "applications": 0, "granted": 0, "refused": 0, "online": 0, "overdue": 0}


def statistics(
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    *,
    scope: tuple[Q, Q] | None = None,
) -> dict[str, Any]:
    """``scope``: the applications and the consultations counted (``legal_aid.access.
    statistics_q`` of the viewer: a centre's, the bureau's centres', or all); None: all.

    One GROUP BY (category, channel, centre, month) scans the applications once; the
    groups (at most categories x channels x centres x months, whatever the number of
    applications) are summed up by dimension here. Medians are two more queries."""
    app_scope, call_scope = scope if scope is not None else (None, None)
    qs = applications(date_from, date_to, app_scope)
    today = timezone.localdate()
    groups = list(
        qs.values("category", "channel", "competent_centre", "month").annotate(
            **_counts(),
            online=Count("pk", filter=Q(channel=Channel.ONLINE)),
            urgent=Count("pk", filter=~Q(urgency="")),
            aid_first=Count("pk", filter=Q(aid_first=True)),
            overdue=Count("pk", filter=overdue_q(today)),
            decided=Count("decision_seconds"),
            decision_sum=Sum("decision_seconds"),
            assigned=Count("assignment_seconds"),
            assignment_sum=Sum("assignment_seconds"),
            decisions_late=Count("pk", filter=Q(decided_late=True)),
            assignments_late=Count("pk", filter=Q(assigned_late=True)),
        )
    )
    summed = (
        "applications",
        "granted",
        "refused",
        "online",
        "urgent",
        "aid_first",
        "overdue",
        "decided",
        "decision_sum",
        "assigned",
        "assignment_sum",
        "decisions_late",
        "assignments_late",
    )
    totals: dict[str, Any] = dict.fromkeys(summed, 0)
    dims: dict[str, dict[Any, dict[str, Any]]] = {
        "category": {},
        "channel": {},
        "competent_centre": {},
        "month": {},
    }
    for group in groups:
        for key in summed:
            totals[key] += group[key] or 0
        for dim, rows in dims.items():
            row = rows.setdefault(group[dim], _blank(**{dim: group[dim]}))
            for key in ("applications", "granted", "refused", "online", "overdue"):
                row[key] += group[key] or 0
    totals["overdue_now"] = totals.pop("overdue")
    decision_sum, assignment_sum = totals.pop("decision_sum"), totals.pop("assignment_sum")
    totals["decision_avg_days"] = (
        _days(decision_sum / totals["decided"]) if totals["decided"] else None
    )
    totals["assignment_avg_days"] = (
        _days(assignment_sum / totals["assigned"]) if totals["assigned"] else None
    )
    totals["decision_median_days"] = _median(qs, "decision_seconds", totals["decided"])
    totals["assignment_median_days"] = _median(qs, "assignment_seconds", totals["assigned"])

    labels = dict(Category.choices)
    by_category = sorted(dims["category"].values(), key=lambda r: -r["applications"])
    for row in by_category:
        row["label"] = str(labels.get(row["category"], row["category"]))
    centres = {c.pk: c for c in Centre.objects.only("pk", "code", "name", "name_en").order_by()}
    by_centre = list(dims["competent_centre"].values())
    for row in by_centre:
        centre = centres.get(row["competent_centre"])
        row["competent_centre__code"] = centre.code if centre else ""
        row["competent_centre__name"] = centre.name if centre else ""
        row["competent_centre__name_en"] = centre.name_en if centre else ""
    by_centre.sort(key=lambda row: row["competent_centre__code"])
    channel_labels = dict(Channel.choices)
    by_channel = sorted(dims["channel"].values(), key=lambda r: r["channel"])
    for row in by_channel:
        row["label"] = str(channel_labels.get(row["channel"], row["channel"]))
    by_month = sorted(dims["month"].values(), key=lambda r: r["month"])

    calls = Consultation.objects.all()
    if call_scope is not None and call_scope != Q():
        calls = calls.filter(call_scope)
    calls = _period(calls, "handled_at", date_from, date_to)
    hotline = calls.aggregate(
        calls=Count("pk"),
        seconds=Sum("duration_seconds"),
        avg_seconds=Avg("duration_seconds"),
        suggested=Count("pk", filter=Q(suggest_application=True)),
    )
    hotline["applications"] = qs.filter(consultation__isnull=False).count()
    hotline["avg_seconds"] = round(hotline["avg_seconds"] or 0, 1)
    hotline_by_month = list(calls.values("month").annotate(calls=Count("pk")).order_by("month"))
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
