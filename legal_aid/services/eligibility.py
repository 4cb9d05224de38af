"""The public eligibility check: may a person apply, on what basis, where, and is it urgent?"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from portal.catalogue.models import Region

from .. import deadlines
from ..models import HARDSHIP_CHECK_WAIVED, NO_HARDSHIP_CONDITION, Body
from ..selectors import route


def eligibility(
    *,
    matter_type: str,
    category: str,
    exemption: str,
    hardship: str,
    body: Body | None,
    place: Region | None,
    limitation_ends: datetime.date | None = None,
    urgency: str = "",
) -> dict[str, Any]:
    """The public check: may the person apply, on what basis, where, and is it urgent?"""
    routing = route(matter_type, body=body, place=place)
    if exemption in NO_HARDSHIP_CONDITION:
        basis, eligible = "no_condition", True
    elif exemption in HARDSHIP_CHECK_WAIVED:
        basis, eligible = "check_waived", True
    elif hardship == "yes":
        basis, eligible = "statement", True
    else:
        basis, eligible = "not_hardship", False
    urgent = bool(urgency) or deadlines.limitation_is_urgent(limitation_ends, timezone.localdate())
    return {
        "eligible": eligible,
        "basis": basis,
        "routing": routing,
        "urgent": urgent,
        "category": category,
    }
