"""django-q2 entry points (thin)."""

from __future__ import annotations

from . import services


def daily_deadlines() -> dict[str, int]:
    """Scheduled every day (see migration 0002): flag overdue cases, remind departments; flag
    cases whose materials to follow are late, remind their applicants."""
    return {**services.scan_deadlines(), **services.scan_missing_materials()}
