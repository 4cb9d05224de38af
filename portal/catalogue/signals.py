"""Keep items' ``search_text`` in step with their department's name (ADR 0010)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from portal.catalogue.models import Department, ServiceItem


@receiver(post_save, sender=Department, dispatch_uid="catalogue_department_search_text")
def refresh_search_text(sender, instance: Department, created: bool, raw: bool = False, **kw):
    if created or raw:
        return
    items = list(
        ServiceItem.objects.filter(department=instance).only(
            "code", "name", "name_en", "keywords", "search_text"
        )
    )
    changed = []
    for item in items:
        text = item.build_search_text(instance.name)
        if text != item.search_text:
            item.search_text = text
            changed.append(item)
    ServiceItem.objects.bulk_update(changed, ["search_text"], batch_size=1000)
