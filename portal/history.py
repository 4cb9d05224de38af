"""History of reference data (django-simple-history): a first record for rows that were loaded in
bulk (reference and demo loaders, imports write no history), taken just before their first change
by hand, so that change shows the old values next to the new ones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Model
from django.utils.translation import gettext as _


def record_baseline(instances: Iterable[Model]) -> int:
    """Record the stored state of each of ``instances`` that has no history yet (read from the
    database, not from the instance, which may already hold the new values). One query per
    model to look, one to read and one to write the missing records. Returns how many."""
    by_model: dict[type[Model], list] = defaultdict(list)
    for obj in instances:
        model = type(obj)
        if obj.pk is not None and getattr(model._meta, "simple_history_manager_attribute", None):
            by_model[model].append(obj.pk)
    created = 0
    for model, pks in by_model.items():
        manager = getattr(model, model._meta.simple_history_manager_attribute)
        pk_name = model._meta.pk.attname
        known = set(manager.filter(**{f"{pk_name}__in": pks}).values_list(pk_name, flat=True))
        missing = [pk for pk in pks if pk not in known]
        if not missing:
            continue
        rows = list(model._default_manager.filter(pk__in=missing))
        manager.bulk_history_create(
            rows, default_change_reason=_("stored state before the first recorded change")
        )
        created += len(rows)
    return created
