"""Statistics for the justice bureau, the centres and administrators (each their scope),
computed in SQL from the rollup (ADR 0100): every figure is an aggregate or a GROUP BY over
the groups of a day, not over the applications; medians are one ORDER BY ... LIMIT 2 OFFSET
(n-1)/2 each (portable to SQLite)."""

from __future__ import annotations

import datetime
import hashlib
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import statistics_version
from .models import (
    AWAITING_DECISION,
    TIME_LIMITED_STATES,
    AgeBand,
    ApplicationRollup,
    Category,
    Centre,
    Channel,
    Consultation,
    Decision,
    Grain,
    HotlineService,
    Lawyer,
    LawyerRollup,
    LegalAidApplication,
    RecipientGroup,
    RecipientRollup,
    Satisfaction,
    Sex,
    State,
)
from .selectors import overdue_q

if TYPE_CHECKING:
    from .access import StatisticsScope


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
    "closed",
    "handling_seconds",
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
    limits = {f"overdue_{name}": Count("pk", filter=q) for name, q in _limits(today).items()}
    if connection.vendor == "postgresql":
        groups = (
            groups.filter(state__in=TIME_LIMITED_STATES)
            .annotate(overdue=Count("pk", filter=overdue_q(today)), **limits)
            .filter(overdue__gt=0)
        )
    else:
        groups = groups.filter(overdue_q(today)).annotate(overdue=Count("pk"), **limits)
    return list(groups)


def _limits(today: datetime.date) -> dict[str, Q]:
    """Each running time limit's "past it now" (together: ``overdue_q``)."""
    return {
        "decision": Q(state__in=AWAITING_DECISION, decision_due__lt=today),
        "assignment": Q(state=State.GRANTED, assignment_due__lt=today),
        "materials": Q(state=State.MATERIALS_REQUESTED, materials_due__lt=today),
        "objection": Q(state=State.OBJECTION_LODGED, objection_due__lt=today),
    }


#: how long computed figures stay when nothing changes (a new version makes them unreachable)
CACHE_SECONDS = 3600


def statistics_key(
    date_from: datetime.date | None,
    date_to: datetime.date | None,
    scope: StatisticsScope | None,
) -> str | None:
    """The cache key of these figures now: the statistics' version (legal_aid/
    statistics_version.py: changed by the database with every write to what they read), today's
    date (what is overdue now), the language (the labels) and the viewer's scope and period.
    None when nothing may be cached (no version row: a test database flushed by TRUNCATE)."""
    version = statistics_version.current()
    if version is None:
        return None
    # the scope by what decides it (the viewer's binding), not by compiling its SQL (2 ms)
    viewer = "" if scope is None else f"scope:{scope.key}"
    where = hashlib.blake2b(f"{date_from}|{date_to}|{viewer}".encode(), digest_size=16)
    return (
        f"legal_aid:statistics:{version}:{timezone.localdate().isoformat()}:"
        f"{get_language()}:{where.hexdigest()}"
    )


def cached_statistics(
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    *,
    scope: StatisticsScope | None = None,
    key: str | None = "",
) -> dict[str, Any]:
    """:func:`statistics`, kept in the default cache (Redis in production) under
    :func:`statistics_key` (``key``, when the caller has it already). A change shows on the
    next request; a read costs one primary-key query and a cache get instead of some twenty
    aggregates (ADR 0100)."""
    if key == "":
        key = statistics_key(date_from, date_to, scope)
    if key is None:
        return statistics(date_from, date_to, scope=scope)
    found = cache.get(key)
    if found is None:
        found = statistics(date_from, date_to, scope=scope)
        cache.set(key, found, CACHE_SECONDS)
    return found


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
    past = dict.fromkeys(_limits(today), 0)
    for group in _overdue(qs, today):
        totals["overdue_now"] += group["overdue"]
        for name in past:
            past[name] += group[f"overdue_{name}"]
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
    handling_sum = totals.pop("handling_seconds")
    totals["handling_avg_days"] = (
        _days(handling_sum / totals["closed"]) if totals["closed"] else None
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
        **SURVEY_COUNTS,
    )
    survey = _survey({key: hotline.pop(key) for key in SURVEY_COUNTS})
    hotline["applications"] = from_consultation
    hotline["avg_seconds"] = round(hotline["avg_seconds"] or 0, 1)
    hotline_by_month = list(calls.values("month").annotate(calls=Count("pk")).order_by("month"))
    # the topics and, for legal aid, the categories: one GROUP BY, folded here
    topics: dict[str, int] = {}
    services: dict[str, int] = {}
    for row in calls.values("service", "topic").annotate(calls=Count("pk")).order_by():
        services[row["service"]] = services.get(row["service"], 0) + row["calls"]
        if row["topic"]:
            topics[row["topic"]] = topics.get(row["topic"], 0) + row["calls"]
    hotline_by_topic = [
        {"topic": topic, "calls": n, "label": str(labels.get(topic, topic))}
        for topic, n in sorted(topics.items(), key=lambda item: (-item[1], item[0]))
    ]
    service_labels = dict(HotlineService.choices)
    hotline_by_service = [
        {"service": service, "calls": n, "label": str(service_labels.get(service, service))}
        for service, n in sorted(services.items(), key=lambda item: (-item[1], item[0]))
    ]
    progress = {
        "days": [
            {
                "stage": "decision",
                "avg_days": totals["decision_avg_days"],
                "count": totals["decided"],
            },
            {
                "stage": "assignment",
                "avg_days": totals["assignment_avg_days"],
                "count": totals["assigned"],
            },
            {
                "stage": "handling",
                "avg_days": totals["handling_avg_days"],
                "count": totals["closed"],
            },
        ],
        "late": {
            "decision": totals["decisions_late"],
            "assignment": totals["assignments_late"],
        },
        "overdue_now": past,
    }
    for row in progress["days"]:
        row["label"] = str(STAGE_LABELS[row["stage"]])
    recipients = _recipients(date_from, date_to, app_scope)
    lawyers, firms = _lawyers(date_from, date_to, app_scope)
    return {
        "totals": totals,
        "progress": progress,
        **recipients,
        "by_lawyer": lawyers,
        "by_firm": firms,
        "hotline_by_service": hotline_by_service,
        "survey": survey,
        "by_category": by_category,
        "by_centre": by_centre,
        "by_channel": by_channel,
        "by_month": by_month,
        "hotline": hotline,
        "hotline_by_month": hotline_by_month,
        "hotline_by_topic": hotline_by_topic,
    }


STAGE_LABELS = {
    "decision": _("From receipt to the decision"),
    "assignment": _("From the grant to the lawyer's assignment"),
    "handling": _("From the assignment to closing"),
}


def _recipients(date_from, date_to, scope: Q | None) -> dict[str, list[dict[str, Any]]]:
    """Counts per sex, age band and recipient group (never a person), from their rollup: one
    GROUP BY over the three (at most a few dozen groups), folded here into each."""
    groups = RecipientRollup.objects.filter(_rollup_period(date_from, date_to))
    if scope is not None and scope != Q():
        groups = groups.filter(scope)
    rows = list(
        groups.order_by()
        .values("sex", "age_band", "recipient_group")
        .annotate(
            sum_applications=Sum("applications"),
            sum_granted=Sum("granted"),
            sum_refused=Sum("refused"),
        )
        .filter(sum_applications__gt=0)
    )
    found: dict[str, list[dict[str, Any]]] = {}
    for dim, choices in (
        ("sex", Sex.choices),
        ("age_band", AgeBand.choices),
        ("recipient_group", RecipientGroup.choices),
    ):
        labels = dict(choices)
        folded: dict[str, dict[str, Any]] = {}
        for row in rows:
            item = folded.setdefault(
                row[dim], {"key": row[dim], "applications": 0, "granted": 0, "refused": 0}
            )
            for name in ("applications", "granted", "refused"):
                item[name] += row[f"sum_{name}"] or 0
        for item in folded.values():
            item["label"] = str(labels.get(item["key"]) or _("Not recorded"))
            if dim == "recipient_group" and not item["key"]:
                item["label"] = str(_("No group stated"))
        order = [value for value, _label in choices]
        found[f"by_{dim}"] = sorted(
            folded.values(),
            key=lambda r: order.index(r["key"]) if r["key"] in order else len(order),
        )
    return found


def _lawyers(date_from, date_to, scope: Q | None):
    """Per lawyer and per firm: cases assigned, open and closed, and the days to close, from
    the lawyer rollup (lawyer 0: not assigned, left out)."""
    groups = LawyerRollup.objects.filter(_rollup_period(date_from, date_to), lawyer_id__gt=0)
    if scope is not None and scope != Q():
        groups = groups.filter(scope)
    rows = list(
        groups.order_by()
        .values("lawyer_id")
        .annotate(
            assigned=Sum("assigned"),
            open=Sum("open"),
            closed=Sum("closed"),
            handling_seconds=Sum("handling_seconds"),
        )
        .filter(assigned__gt=0)
    )
    names = (
        {
            lawyer.pk: lawyer
            for lawyer in Lawyer.objects.filter(pk__in=[r["lawyer_id"] for r in rows]).only(
                "pk", "name", "firm"
            )
        }
        if rows
        else {}
    )
    firms: dict[str, dict[str, Any]] = {}
    for row in rows:
        lawyer = names.get(row["lawyer_id"])
        row["name"] = lawyer.name if lawyer else ""
        row["firm"] = lawyer.firm if lawyer else ""
        seconds = row.pop("handling_seconds") or 0
        row["handling_avg_days"] = _days(seconds / row["closed"]) if row["closed"] else None
        firm = firms.setdefault(
            row["firm"],
            {"firm": row["firm"], "lawyers": 0, "assigned": 0, "open": 0, "closed": 0, "_s": 0},
        )
        firm["lawyers"] += 1
        for key in ("assigned", "open", "closed"):
            firm[key] += row[key]
        firm["_s"] += seconds
    for firm in firms.values():
        seconds = firm.pop("_s")
        firm["handling_avg_days"] = _days(seconds / firm["closed"]) if firm["closed"] else None
    rows.sort(key=lambda r: (-r["assigned"], r["name"]))
    return rows, sorted(firms.values(), key=lambda r: (-r["assigned"], r["firm"]))


SURVEY_COUNTS = {
    "survey_sent": Count("pk", filter=Q(survey_sent_at__isnull=False)),
    "survey_answered": Count("pk", filter=Q(survey_score__isnull=False)),
    **{
        f"survey_{choice.value}": Count("pk", filter=Q(survey_score=choice.value))
        for choice in Satisfaction
    },
}


def _survey(figures: dict[str, int]) -> dict[str, Any]:
    """The call survey (counted with the hotline's figures): sent, answered, each answer, and
    the share satisfied or fairly satisfied."""
    answers = [
        {"score": c.value, "label": str(c.label), "calls": figures[f"survey_{c.value}"]}
        for c in Satisfaction
    ]
    satisfied = (
        figures[f"survey_{Satisfaction.SATISFIED.value}"]
        + figures[f"survey_{Satisfaction.FAIRLY.value}"]
    )
    answered = figures["survey_answered"]
    return {
        "sent": figures["survey_sent"],
        "answered": answered,
        "answers": answers,
        "satisfied_pct": round(100 * satisfied / answered, 1) if answered else None,
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
    rows += _issue18_rows(stats)
    return rows


def _issue18_rows(stats: dict[str, Any]) -> list[list[Any]]:
    """Recipients, progress, lawyers and firms, the call topics and the survey."""
    rows: list[list[Any]] = []
    for dim in ("sex", "age_band", "recipient_group"):
        for row in stats[f"by_{dim}"]:
            rows.append(
                [dim, row["key"], row["label"], row["applications"], row["granted"], row["refused"]]
            )
    progress = stats["progress"]
    for row in progress["days"]:
        rows.append(
            ["progress_days", row["stage"], row["label"], row["avg_days"], row["count"], ""]
        )
    for limit, count in progress["late"].items():
        rows.append(["progress_late", limit, "", count, "", ""])
    for limit, count in progress["overdue_now"].items():
        rows.append(["progress_overdue_now", limit, "", count, "", ""])
    for row in stats["by_lawyer"]:
        rows.append(
            ["lawyer", row["lawyer_id"], row["name"], row["assigned"], row["open"], row["closed"]]
        )
    for row in stats["by_firm"]:
        rows.append(["firm", row["firm"], row["firm"], row["assigned"], row["open"], row["closed"]])
    h = stats["hotline"]
    rows.append(["hotline", "calls", "", h["calls"], "", ""])
    for row in stats["hotline_by_service"]:
        rows.append(["hotline_service", row["service"], row["label"], row["calls"], "", ""])
    survey = stats["survey"]
    rows.append(["survey", "sent", "", survey["sent"], "", ""])
    rows.append(["survey", "answered", "", survey["answered"], "", ""])
    for row in survey["answers"]:
        rows.append(["survey_answer", row["score"], row["label"], row["calls"], "", ""])
    rows.append(["survey", "satisfied_pct", "", survey["satisfied_pct"], "", ""])
    rows.append(["hotline", "avg_seconds", "", h["avg_seconds"], "", ""])
    for row in stats["hotline_by_month"]:
        rows.append(["hotline_month", row["month"], "", row["calls"], "", ""])
    for row in stats["hotline_by_topic"]:
        rows.append(["hotline_topic", row["topic"], row["label"], row["calls"], "", ""])
    return rows
