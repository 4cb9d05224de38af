"""Helpers for the domain apps' reference loaders (``manage.py load_reference``): read a data
file, and bring a table up to date with its rows by natural key, idempotently."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db import models
from simple_history.utils import bulk_update_with_history

from portal.history import record_baseline

CHANGE_REASON = "reference data"


class ReferenceDataError(ValueError):
    """A data file does not fit the database (an unknown code, a row an import refuses)."""


def read_csv(path: Path | str) -> list[dict[str, str]]:
    """The rows of a UTF-8 CSV file with a heading, as dicts by heading."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def sync(
    model: type[models.Model], keys: Iterable[str], rows: list[dict[str, Any]]
) -> tuple[int, int]:
    """Create the ``rows`` (field values by attribute name) whose ``keys`` are not stored and
    update the stored ones whose other values differ, recording their old state in their history
    first; rows the data does not name are left alone. Returns (created, updated): (0, 0) when
    the table already holds the data."""
    keys = tuple(keys)
    if not rows:
        return 0, 0
    fields = [name for name in rows[0] if name not in keys]
    stored = {tuple(getattr(obj, k) for k in keys): obj for obj in model._default_manager.all()}
    new, changed = [], []
    for values in rows:
        obj = stored.get(tuple(values[k] for k in keys))
        if obj is None:
            new.append(model(**values))
        elif any(getattr(obj, name) != values[name] for name in fields):
            for name in fields:
                setattr(obj, name, values[name])
            changed.append(obj)
    if new:
        model._default_manager.bulk_create(new, batch_size=1000)
    if changed:
        record_baseline(changed)
        if getattr(model._meta, "simple_history_manager_attribute", None):
            bulk_update_with_history(
                changed, model, fields, batch_size=500, default_change_reason=CHANGE_REASON
            )
        else:
            model._default_manager.bulk_update(changed, fields, batch_size=500)
    return len(new), len(changed)
