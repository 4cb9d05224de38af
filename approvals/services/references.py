"""Case references: ``QD`` + the day + the day's number, given out under a row lock."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import ReferenceCounter

REFERENCE_PREFIX = "QD"


def next_reference(day: datetime.date | None = None) -> str:
    """The next reference of the day, e.g. ``QD20261124-000123``.

    The day's counter row is incremented with an UPDATE, which holds its row lock until the
    surrounding transaction ends, so two applications at once never get the same number."""
    day = day or timezone.localdate()
    with transaction.atomic():
        ReferenceCounter.objects.get_or_create(day=day)
        ReferenceCounter.objects.filter(day=day).update(last=F("last") + 1)
        number = ReferenceCounter.objects.filter(day=day).values_list("last", flat=True).get()
    return f"{REFERENCE_PREFIX}{day:%Y%m%d}-{number:06d}"
