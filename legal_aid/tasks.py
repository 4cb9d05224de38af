"""django-q2 entry points (thin): the daily run is scheduled by migration 0002."""

from __future__ import annotations

from typing import Any

from . import reminders


def daily() -> dict[str, Any]:
    """Lapse overdue materials requests, then send the day's reminders."""
    lapsed = reminders.lapse_overdue_materials()
    sent = reminders.send_reminders()
    return {"lapsed": lapsed, "reminders": sent}
