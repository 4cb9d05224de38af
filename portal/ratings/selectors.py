"""Queries over ratings. Statistics are computed in SQL (one query per table)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, NullIf, Round
from django.utils import timezone

from .models import BAD_MAX, GOOD_MIN, FollowUp, FollowUpStatus, Rating


def rating_for(subject: Any) -> Rating | None:
    """The rating of ``subject``, or None when it has not been rated."""
    if subject is None or subject.pk is None:
        return None
    return (
        Rating.objects.filter(
            content_type=ContentType.objects.get_for_model(subject), object_id=str(subject.pk)
        )
        .select_related("follow_up")
        .first()
    )


def _aggregates() -> dict[str, Any]:
    count = Count("id")
    good = Count("id", filter=Q(score__gte=GOOD_MIN))
    bad = Count("id", filter=Q(score__lte=BAD_MAX))
    as_float = lambda expr: Cast(expr, FloatField())  # noqa: E731
    return {
        "count": count,
        "average": Round(Avg(as_float(F("score"))), 2),
        "good": good,
        "bad": bad,
        "good_share": Coalesce(
            Round(as_float(good) * 100.0 / NullIf(as_float(count), Value(0.0)), 1), Value(0.0)
        ),
        "bad_share": Coalesce(
            Round(as_float(bad) * 100.0 / NullIf(as_float(count), Value(0.0)), 1), Value(0.0)
        ),
    }


def _filtered(since=None, until=None) -> QuerySet[Rating]:
    qs = Rating.objects.all()
    if since:
        qs = qs.filter(created_at__date__gte=since)
    if until:
        qs = qs.filter(created_at__date__lte=until)
    return qs


def statistics_by_department(since=None, until=None) -> QuerySet:
    """Rows of department id, name, count, average, good, bad, good_share, bad_share (%)."""
    return (
        _filtered(since, until)
        .values("department_id", "department__name", "department__name_en")
        .annotate(**_aggregates())
        .order_by("-count", "department__name")  # type: ignore[misc]  # count: _aggregates()
    )


def statistics_by_item(since=None, until=None) -> QuerySet:
    """The same per service item (ratings without an item are left out)."""
    return (
        _filtered(since, until)
        .filter(item__isnull=False)
        .values(
            "item_id",
            "item__code",
            "item__name",
            "item__name_en",
            "item__department__name",
            "item__department__name_en",
        )
        .annotate(**_aggregates())
        .order_by("-count", "item__code")  # type: ignore[misc]  # count: _aggregates()
    )


def overall(since=None, until=None) -> dict[str, Any]:
    return _filtered(since, until).aggregate(**_aggregates())


def follow_ups_for(user) -> QuerySet[FollowUp]:
    """Follow-ups ``user`` may see (``portal.ratings.access``): all for administrators, their
    department's for staff, none for anyone else."""
    from portal.access import visible

    return visible(user, FollowUp.objects.select_related("rating", "department", "resolved_by"))


def ratings_for(user) -> QuerySet[Rating]:
    """Ratings ``user`` may see: all for administrators, their department's for its staff, their
    own for a citizen."""
    from portal.access import visible

    return visible(user, Rating.objects.select_related("department", "item"))


def overdue_follow_ups() -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(status=FollowUpStatus.OPEN, due_date__lt=timezone.localdate())
