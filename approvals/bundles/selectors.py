"""Queries about bundle applications: the applicant's list and the progress page. Each runs a
fixed number of queries whatever the number of cases."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from portal.access import visible
from portal.accounts.permissions import is_administrator

from ..models import Case
from .models import BundleApplication, BundleCase


def applications_for_applicant(user: Any) -> QuerySet[BundleApplication]:
    """The user's own bundle applications, newest first, with their bundle and case count."""
    if not getattr(user, "is_authenticated", False):
        return BundleApplication.objects.none()
    return (
        BundleApplication.objects.filter(applicant_user_id=user.pk)
        .select_related("bundle")
        .annotate(case_count=Count("links"))
        .order_by("-submitted_at", "-id")
    )


def progress(reference: str, user: Any) -> BundleApplication | None:
    """The application ``reference`` if ``user`` may see it, with ``visible_links``: the cases
    they may see (its applicant and administrators: all of them; staff: those of their scope),
    each with its item, department and accepting point, in the bundle's order. Two queries
    (plus the user's acceptance-point binding, once)."""
    application = (
        visible(user, BundleApplication.objects.select_related("bundle"))
        .filter(reference=reference)
        .first()
    )
    if application is None:
        return None
    links = (
        BundleCase.objects.filter(application=application)
        .select_related(
            "case", "case__item", "case__department", "case__department__region",
            "case__accepting_point",
        )
        .order_by("position", "id")
    )  # fmt: skip
    if application.applicant_user_id != user.pk and not is_administrator(user):
        links = links.filter(case__in=visible(user, Case.objects.all()).values("pk"))
    application.visible_links = list(links)
    return application


def case_links(application: BundleApplication) -> list[BundleCase]:
    return getattr(application, "visible_links", [])


def open_count(links: list[BundleCase]) -> int:
    return sum(1 for link in links if link.case.is_open)
