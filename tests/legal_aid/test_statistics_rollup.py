"""The statistics from the rollup give the same numbers as the scan of every application
they replaced (ADR 0100), on random data, after steps are taken, after writes that bypass the
services (QuerySet.update, bulk_update, delete), for each scope and period; the triggers keep
the same rows as a rebuild."""

from __future__ import annotations

import datetime
import io
import random
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Avg, Count, Q, Sum
from django.utils import timezone

from legal_aid import rollups
from legal_aid.models import (
    ApplicationRollup,
    Category,
    Centre,
    Channel,
    Consultation,
    Decision,
    LegalAidApplication,
    State,
    month_of,
)
from legal_aid.selectors import overdue_q
from legal_aid.services import record_consultation, take
from legal_aid.statistics import (
    _blank,
    _counts,
    _days,
    _median,
    _period,
    applications,
    statistics,
)

from . import factories as f

pytestmark = pytest.mark.django_db


def scan_statistics(
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    *,
    scope: tuple[Q, Q] | None = None,
) -> dict[str, Any]:
    """The statistics as computed before the rollup (legal_aid/statistics.py before ADR 0100,
    kept verbatim): one GROUP BY over every application in scope, folded here."""
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


STATES = list(State.values)
URGENCY = ["", "", "", "limitation", "preservation"]


def _moment(rng: random.Random, now: datetime.datetime) -> datetime.datetime:
    """Within 70 days, often within minutes of a local midnight (the day key's edge)."""
    day = timezone.localdate(now) - datetime.timedelta(days=rng.randrange(70))
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    if rng.random() < 0.4:
        return midnight + datetime.timedelta(seconds=rng.choice([-61, -1, 0, 1, 59, 3599]))
    return midnight + datetime.timedelta(seconds=rng.randrange(86400))


def _random_applications(rng: random.Random, n: int, calls: list[Consultation]) -> None:
    now = timezone.now()
    today = timezone.localdate()
    centres = list(Centre.objects.order_by("pk"))
    place = centres[0].region
    rows = []
    for i in range(n):
        submitted = _moment(rng, now)
        decided = rng.random() < 0.6
        assigned = decided and rng.random() < 0.5

        def due() -> datetime.date | None:
            return (
                today + datetime.timedelta(days=rng.randrange(-5, 6))
                if rng.random() < 0.7
                else None
            )

        rows.append(
            LegalAidApplication(
                reference=f"FYRND{rng.randrange(10**9):09d}{i:05d}",
                applicant_name="测试",
                resident_id="370202198001010011",
                phone="13900000000",
                matter_type="non_litigation",
                place=place,
                category=rng.choice(Category.values),
                facts="f",
                commitment_at=submitted,
                urgency=rng.choice(URGENCY),
                channel=rng.choice(Channel.values),
                competent_centre=rng.choice(centres),
                routing_reason="r",
                routing_reason_en="r",
                consultation=rng.choice(calls) if calls and rng.random() < 0.2 else None,
                state=rng.choice(STATES),
                aid_first=rng.random() < 0.1,
                submitted_at=submitted,
                month=month_of(submitted),
                received_at=submitted,
                decision_due=due(),
                materials_due=due(),
                assignment_due=due(),
                objection_due=due(),
                decision=rng.choice(Decision.values) if decided else "",
                decision_seconds=rng.randrange(0, 10 * 86400) if decided else None,
                decided_late=decided and rng.random() < 0.2,
                assignment_seconds=rng.randrange(0, 5 * 86400) if assigned else None,
                assigned_late=assigned and rng.random() < 0.2,
            )
        )
    LegalAidApplication.objects.bulk_create(rows, batch_size=200)


def _scanned(new: dict[str, Any], old: dict[str, Any]) -> dict[str, Any]:
    """The figures the scan computes (issue 18's have their own tests and rollups)."""
    out = {key: new[key] for key in old}
    out["totals"] = {key: new["totals"][key] for key in old["totals"]}
    out["hotline"] = {key: new["hotline"][key] for key in old["hotline"]}
    return out


def _normal(stats: dict[str, Any]) -> dict[str, Any]:
    """Rows in a fixed order (ties in the sorted lists may come in any order)."""
    out = dict(stats)
    for key in ("by_category", "by_centre", "by_channel", "by_month"):
        out[key] = sorted(stats[key], key=lambda row: sorted((k, str(v)) for k, v in row.items()))
    return out


def _periods(rng: random.Random) -> list[tuple[datetime.date | None, datetime.date | None]]:
    today = timezone.localdate()
    periods: list[tuple[datetime.date | None, datetime.date | None]] = [(None, None)]
    for _ in range(3):
        start = today - datetime.timedelta(days=rng.randrange(80))
        periods.append((start, start + datetime.timedelta(days=rng.randrange(40))))
    periods += [
        (today - datetime.timedelta(days=10), None),
        (None, today - datetime.timedelta(days=30)),
    ]
    return periods


def _scopes() -> list[tuple[Q, Q] | None]:
    laixi = Centre.objects.get(code="LA370285").pk
    some = list(Centre.objects.order_by("pk").values_list("pk", flat=True)[:5])
    return [
        None,
        (Q(), Q()),
        (
            Q(competent_centre_id__in=[laixi]),
            Q(handled_by__legal_aid_membership__centre_id__in=[laixi]),
        ),
        (Q(competent_centre_id__in=some), Q(handled_by__legal_aid_membership__centre_id__in=some)),
    ]


def _assert_same(rng: random.Random) -> None:
    for scope in _scopes():
        for date_from, date_to in _periods(rng):
            new = statistics(date_from, date_to, scope=scope)
            old = scan_statistics(date_from, date_to, scope=scope)
            assert _normal(_scanned(new, old)) == _normal(old), (scope, date_from, date_to)
    assert _rollup_rows() == _rebuilt_rows()


def _rollup_rows() -> list[tuple]:
    fields = [*rollups.KEYS, *rollups.COUNTERS]
    return sorted(
        row for row in ApplicationRollup.objects.filter(applications__gt=0).values_list(*fields)
    )


def _rebuilt_rows() -> list[tuple]:
    from django.db import transaction

    with transaction.atomic():
        rollups.rebuild()
        rows = _rollup_rows()
        transaction.set_rollback(True)
    return rows


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_rollup_gives_the_numbers_of_the_scan(seed, laixi_staff, laixi_lawyer):
    rng = random.Random(seed)
    calls = [
        record_consultation(
            caller_name="",
            caller_phone="13900001111",
            topic="labour",
            question="q",
            answer="a",
            duration_seconds=60 * (i + 1),
            handled_by=laixi_staff,
        )
        for i in range(3)
    ]
    _random_applications(rng, 400, calls)
    assert LegalAidApplication.objects.count() == 400
    _assert_same(rng)

    # steps through the workflow (the services), on fresh Laixi applications
    for _ in range(6):
        app = f.submit(f.citizen(f"c{seed}{_}", serial=_ + 2, mobile=f"1396900{seed}{_:03d}"))
        take(app.reference, "start_review", laixi_staff)
        if rng.random() < 0.5:
            take(app.reference, "refuse", laixi_staff, reasons="不符合")
        else:
            take(app.reference, "grant", laixi_staff)
            take(app.reference, "assign_lawyer", laixi_staff, lawyer=laixi_lawyer)
    _assert_same(rng)

    # writes that bypass the services: a key moved, counted columns changed, rows deleted
    ids = list(LegalAidApplication.objects.values_list("pk", flat=True))
    some = rng.sample(ids, 60)
    LegalAidApplication.objects.filter(pk__in=some[:15]).update(channel="centre", category="other")
    LegalAidApplication.objects.filter(pk__in=some[15:30]).update(
        submitted_at=timezone.now() - datetime.timedelta(days=3, minutes=7)
    )
    LegalAidApplication.objects.filter(pk__in=some[30:40]).update(
        decision="granted", decision_seconds=3600, decided_late=True, consultation=None
    )
    moved = list(LegalAidApplication.objects.filter(pk__in=some[40:50]))
    for app in moved:
        app.competent_centre_id = rng.choice(_centre_ids())
        app.assignment_seconds = None
    LegalAidApplication.objects.bulk_update(moved, ["competent_centre", "assignment_seconds"])
    LegalAidApplication.objects.filter(pk__in=some[50:]).delete()
    _assert_same(rng)


def _centre_ids() -> list[int]:
    return list(Centre.objects.values_list("pk", flat=True))


def test_a_rebuild_repairs_a_lost_rollup(citizen):
    f.submit(citizen)
    f.submit(citizen, category="maintenance")
    ApplicationRollup.objects.all().delete()
    assert statistics()["totals"]["applications"] == 0
    out = io.StringIO()
    call_command("rebuild_legal_aid_statistics", stdout=out)
    # a day and a month for each category; and in the recipients' and the lawyers' rollups
    # a day and a month for the one group both applications share
    assert "rebuilt: 8 groups" in out.getvalue()
    assert statistics()["totals"]["applications"] == 2
    old = scan_statistics()
    assert _normal(_scanned(statistics(), old)) == _normal(old)
