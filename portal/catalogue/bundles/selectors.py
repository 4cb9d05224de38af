"""Queries about bundles: the list, one bundle with its items, and its materials asked once."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from portal.catalogue.models import Material, MaterialSource, ServiceItem

from .models import Bundle, BundleItem


def active_bundles(event_kind: str | None = None) -> QuerySet[Bundle]:
    """The bundles offered, with the number of their items (one query)."""
    queryset = Bundle.objects.filter(is_active=True).annotate(
        item_count=Count("entries", filter=Q(entries__item__is_active=True))
    )
    if event_kind:
        queryset = queryset.filter(event_kind=event_kind)
    return queryset.order_by("position", "code")


def bundle_entries_queryset() -> QuerySet[BundleItem]:
    """The bundle's entries whose item is still offered: an item withdrawn from the catalogue
    leaves the bundle's page, form and submission as it leaves the list's count, and the
    applicant applies for the rest."""
    return (
        BundleItem.objects.filter(item__is_active=True)
        .select_related("item", "item__department", "item__department__region")
        .prefetch_related(
            Prefetch("item__materials", queryset=Material.objects.order_by("position", "id"))
        )
    )


def get_bundle(code: str) -> Bundle:
    """One active bundle with its items in order, their departments and materials (three
    queries); Bundle.DoesNotExist when there is none."""
    return (
        Bundle.objects.filter(is_active=True)
        .prefetch_related(Prefetch("entries", queryset=bundle_entries_queryset()))
        .get(code=code)
    )


def bundle_items(bundle: Bundle) -> list[ServiceItem]:
    """The bundle's items in order (from the prefetched entries)."""
    return [entry.item for entry in bundle.entries.all()]


def material_key(material: Material) -> tuple[str, str]:
    """Two items ask for the same material when its kind (source) and its name are the same
    (names compared without spaces and full-width brackets told apart from ASCII ones)."""
    name = "".join(material.name.split()).replace("（", "(").replace("）", ")")
    return (material.source, name)


@dataclass
class BundleMaterial:
    """A material the bundle's form asks for once, on behalf of every item that needs it.

    ``material`` is the first item's own material (its id names the form field and the API's
    entry); ``members`` are each item's material of the same kind and name."""

    material: Material
    members: list[Material] = field(default_factory=list)
    items: list[ServiceItem] = field(default_factory=list)

    @property
    def pk(self) -> int:
        return self.material.pk

    @property
    def name(self) -> str:
        return self.material.name

    @property
    def name_en(self) -> str:
        return getattr(self.material, "name_en", "") or ""

    @property
    def source(self) -> str:
        return self.material.source

    @property
    def required(self) -> bool:
        return any(member.required for member in self.members)

    @property
    def note(self) -> str:
        return self.material.note

    @property
    def commitment_text(self) -> str:
        return self.material.commitment_text

    @property
    def is_shared(self) -> bool:
        return self.source == MaterialSource.SHARED

    @property
    def is_commitment(self) -> bool:
        return self.source == MaterialSource.COMMITMENT


def bundle_materials(bundle: Bundle) -> list[BundleMaterial]:
    """The union of the bundle's items' materials, each (kind, name) once, in the order they
    first occur (from the prefetched entries: no query of its own)."""
    groups: dict[tuple[str, str], BundleMaterial] = {}
    for item in bundle_items(bundle):
        for material in item.materials.all():
            group = groups.get(material_key(material))
            if group is None:
                group = groups[material_key(material)] = BundleMaterial(material)
            group.members.append(material)
            group.items.append(item)
    return list(groups.values())


def materials_asked(bundle: Bundle) -> int:
    """How many materials the items ask for one by one (to say how many the bundle saves)."""
    return sum(len(item.materials.all()) for item in bundle_items(bundle))
