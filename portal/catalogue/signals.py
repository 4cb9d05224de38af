"""Keep items' ``search_text`` and search documents in step with their department's name and
their materials (ADR 0010, ADR 0108)."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal.catalogue.models import Department, Material, ServiceItem
from portal.catalogue.search.services import rebuild_documents


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
    if changed:
        rebuild_documents(item.pk for item in changed)


@receiver(post_save, sender=Material, dispatch_uid="catalogue_material_search_document")
@receiver(post_delete, sender=Material, dispatch_uid="catalogue_material_search_document_gone")
def refresh_document_of_material(sender, instance: Material, raw: bool = False, **kw):
    """A material's words are part of its item's document (found, ranked below the name)."""
    if raw:
        return
    rebuild_documents([instance.item_id])
