"""The blank forms (空白表格) of an item's materials, for the catalogue's item page (ADR 0103)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ..blank_forms import blank_form

register = template.Library()


@register.filter
def blank_forms(item) -> list[dict]:
    """Each material of ``item`` that is a form, with the URL of its blank PDF (the item's
    materials as the page loaded them: no query when they were prefetched, one otherwise)."""
    return [
        {
            "material": material,
            "url": reverse("approvals:blank_form", args=[item.code, material.pk]),
        }
        for material in item.materials.all()
        if blank_form(material)
    ]
