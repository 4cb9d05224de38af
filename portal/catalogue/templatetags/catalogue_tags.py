"""Template helpers for the catalogue's pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from portal.catalogue.forms import CHANNEL_CHOICES
from portal.catalogue.forms import local_name as _local_name
from portal.catalogue.models import ListKind
from portal.templatetags import names

register = template.Library()

CHANNEL_LABELS = dict(CHANNEL_CHOICES)
LIST_SHORT = {
    ListKind.CITY_WIDE: _("City-wide"),
    ListKind.REGIONAL: _("Regional"),
    ListKind.TOWN: _("Town / street"),
    ListKind.VILLAGE: _("Village / community"),
}


@register.filter
def local_name(obj, field: str = "name") -> str:
    """The record's ``field`` (its name unless another is given, e.g. ``"description"``) in the
    page's language: ``<field>_en`` on English pages where the record has one."""
    if field == "name":
        return _local_name(obj)
    return names.local_name(obj, field)


@register.filter
def channel_labels(item) -> list[str]:
    return [str(CHANNEL_LABELS[c]) for c in item.channels]


@register.filter
def list_badges(item) -> list[str]:
    """Short labels of the lists the (annotated) item is on."""
    return [str(label) for kind, label in LIST_SHORT.items() if getattr(item, f"on_{kind}", False)]


@register.filter
def list_label(kind: str) -> str:
    return str(ListKind(kind).label) if kind in ListKind.values else kind
