"""Template tags of the outlets app: the outlets panel on the catalogue's item page."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

from outlets import selectors

register = template.Library()

PANEL_SIZE = 5


@register.filter
def km(value) -> str:
    """A distance in km with one decimal (two under 1 km)."""
    if value is None:
        return ""
    value = float(value)
    return number_format(value, 2 if value < 1 else 1)


def _coordinate(request, name: str, low: float, high: float) -> float | None:
    try:
        value = float(request.GET.get(name, ""))
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


def location_of(request) -> tuple[tuple[float, float] | None, str]:
    """The visitor's point from ``lat``/``lng`` in the query string, or from a chosen district
    (``origin``: its GB/T 2260 code), and what to call it."""
    if request is None:
        return None, ""
    lat = _coordinate(request, "lat", -90, 90)
    lng = _coordinate(request, "lng", -180, 180)
    if lat is not None and lng is not None:
        return (lat, lng), "location"
    code = request.GET.get("origin", "")
    if code:
        seat = next((d for d in selectors.districts() if d.code == code), None)
        if seat is not None:
            return (float(seat.latitude), float(seat.longitude)), seat.name
    return None, ""


@register.inclusion_tag("outlets/includes/item_outlets_list.html", takes_context=True)
def nearest_outlets(context, item, limit: int = PANEL_SIZE):
    """The outlets offering ``item`` (nearest first when the request gives a location), with a
    link to the finder: three queries whatever the number of outlets."""
    request = context.get("request")
    near, origin = location_of(request)
    outlets, total = selectors.outlets_offering_item(item, near, limit=limit)
    return {
        "item": item,
        "outlets": outlets,
        "total": total,
        "near": near,
        "origin": origin,
        "districts": list(selectors.districts()),
        "request": request,
        "chosen_origin": request.GET.get("origin", "") if request else "",
    }
