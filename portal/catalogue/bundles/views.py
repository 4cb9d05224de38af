"""The catalogue's pages of one-thing bundles (一事全办): the list and a bundle with its items,
the departments that handle them and the materials asked once. Thin: queries in ``selectors``."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from portal.pagecache import public_page
from portal.registry import registry

from . import selectors
from .models import Bundle, EventKind


@require_GET
@public_page()
def bundle_list(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("event", "")
    if kind not in EventKind.values:
        kind = ""
    bundles = list(selectors.active_bundles())
    groups = [
        {"kind": value, "label": label, "bundles": [b for b in bundles if b.event_kind == value]}
        for value, label in EventKind.choices
        if not kind or kind == value
    ]
    return render(
        request,
        "catalogue/bundles/bundle_list.html",
        {"groups": groups, "event": kind, "event_kinds": EventKind.choices},
    )


@require_GET
@public_page()
def bundle_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        bundle = selectors.get_bundle(code)
    except Bundle.DoesNotExist as exc:
        raise Http404(_("There is no such one-thing bundle.")) from exc
    materials = selectors.bundle_materials(bundle)
    return render(
        request,
        "catalogue/bundles/bundle_detail.html",
        {
            "bundle": bundle,
            "entries": list(bundle.entries.all()),
            "materials": materials,
            "materials_asked": selectors.materials_asked(bundle),
            "bundle_panels": [panel.template for panel in registry.bundle_panels()],
        },
    )
