"""Statistics for the justice bureau, the centres and administrators (each their scope),
computed in SQL from the rollup (ADR 0100): every figure is an aggregate or a GROUP BY over
the groups of a day, not over the applications; medians are one ORDER BY ... LIMIT 2 OFFSET
(n-1)/2 each (portable to SQLite)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone

from .models import (
    TIME_LIMITED_STATES,
    ApplicationRollup,
    Category,
    Centre,
    Channel,
    Consultation,
    Decision,
    Grain,
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


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def _rollup_period(date_from: datetime.date | None, date_to: datetime.date | None) -> Q:
    """The rollup's rows of a period: the whole months in it at the month grain, the days
    before the first and after the last whole month at the day grain."""
    start = None if date_from is None else date_from
    if start is not None and start.day != 1:
        start = _next_month(start)  # the first whole month
    end = None if date_to is None else date_to + datetime.timedelta(days=1)
    if end is not None and end.day != 1:
        end = end.replace(day=1)  # the end (exclusive) of the last whole month
    if start is not None and end is not None and start >= end:  # no whole month
        return Q(grain=Grain.DAY, period__gte=date_from, period__lte=date_to)
    months = Q(grain=Grain.MONTH)
    if start is not None:
        months &= Q(period__gte=start)
    if end is not None:
        months &= Q(period__lt=end)
    if date_from is not None and start is not None and date_from < start:
        months |= Q(grain=Grain.DAY, period__gte=date_from, period__lt=start)
    if date_to is not None and end is not None and end <= date_to:
        months |= Q(grain=Grain.DAY, period__gte=end, period__lte=date_to)
    return months


def rollup(
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    scope: Q | None = None,
) -> QuerySet:
    """The rollup's groups (legal_aid/rollups.py) of the applications in scope and period:
    the period is whole local days, as :func:`applications` reads it from ``submitted_at``."""
    qs = ApplicationRollup.objects.filter(_rollup_period(date_from, date_to))
    if scope is not None and scope != Q():
        # the statistics scope names competent_centre_id, a column of both tables; a scope on
        # anything else fails here, loudly, rather than count what it should not
        qs = qs.filter(scope)
    return qs.order_by()


# the rollup's counters summed (aliased: an aggregate may not take the name of a field)
SUMMED = ("applications", "granted", "refused")
TOTALLED = (
    "urgent",
    "aid_first",
    "decided",
    "decision_seconds",
    "assigned",
    "assignment_seconds",
    "decisions_late",
    "assignments_late",
    "from_consultation",
)


def _sums(*counters: str) -> dict[str, Any]:
    sums: dict[str, Any] = {f"sum_{c}": Sum(c) for c in (*SUMMED, *counters)}
    sums["sum_online"] = Sum("applications", filter=Q(channel=Channel.ONLINE))
    return sums


def _unaliased(row: dict[str, Any]) -> dict[str, Any]:
    """The sums under their own names, 0 for none (no group in scope)."""
    return {key.removeprefix("sum_"): value or 0 for key, value in row.items()}


def _by(groups: QuerySet, dim: str) -> dict[Any, dict[str, Any]]:
    """One dimension's rows (a group with no application left in it is no row)."""
    rows = groups.values(dim).annotate(**_sums()).filter(sum_applications__gt=0)
    return {row[dim]: {**_blank(**{dim: row[dim]}), **_unaliased(row)} for row in rows}


def _overdue(qs: QuerySet, today: datetime.date) -> list[dict[str, Any]]:
    """Applications past a running time limit now, per group: it changes with the date, so it
    is counted live, not rolled up.

    PostgreSQL: the WHERE names only the scope, the period and the states with a time limit,
    which lead the partial index la_app_overdue_stats, and the limits are counted from the
    index's own columns: an index-only scan of the time-limited rows (the OR of overdue_q as a
    WHERE becomes an OR of indexes that reads every candidate's row). SQLite uses no partial
    index for a term with bound parameters: there the OR of the (state, due date) indexes is
    the cheaper way."""
    groups = qs.values("category", "channel", "competent_centre", "month")
    if connection.vendor == "postgresql":
        groups = (
            groups.filter(state__in=TIME_LIMITED_STATES)
            .annotate(overdue=Count("pk", filter=overdue_q(today)))
            .filter(overdue__gt=0)
        )
    else:
        groups = groups.filter(overdue_q(today)).annotate(overdue=Count("pk"))
    return list(groups)


def statistics(
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    *,
    scope: tuple[Q, Q] | None = None,
) -> dict[str, Any]:
    """``scope``: the applications and the consultations counted (``legal_aid.access.
    statistics_q`` of the viewer: a centre's, the bureau's centres', or all); None: all.

    The figures come from the rollup (at most centres x categories x channels x days rows,
    whatever the number of applications): the totals and one GROUP BY per dimension, in SQL.
    What changes with the date (overdue now) is counted from the open applications; the
    medians are two ORDER BY ... OFFSET queries on their narrow indexes."""
    app_scope, call_scope = scope if scope is not None else (None, None)
    qs = applications(date_from, date_to, app_scope)
    groups = rollup(date_from, date_to, app_scope)
    today = timezone.localdate()
    totals: dict[str, Any] = _unaliased(groups.aggregate(**_sums(*TOTALLED)))
    dims = {
        "category": _by(groups, "category"),
        "channel": _by(groups, "channel"),
        "competent_centre": _by(groups, "competent_centre"),
        "month": _by(groups, "month"),
    }
    totals["overdue_now"] = 0
    for group in _overdue(qs, today):
        totals["overdue_now"] += group["overdue"]
        for dim, rows in dims.items():
            row = rows.setdefault(group[dim], _blank(**{dim: group[dim]}))
            row["overdue"] += group["overdue"]
    from_consultation = totals.pop("from_consultation")
    decision_sum = totals.pop("decision_seconds")
    assignment_sum = totals.pop("assignment_seconds")
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
    hotline["applications"] = from_consultation
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
