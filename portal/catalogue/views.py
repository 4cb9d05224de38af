"""Citizen pages of the catalogue: home, browse and search, item detail, and the handling lists
with their exports and history. Thin: queries live in ``selectors``."""

from __future__ import annotations

from dataclasses import replace

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from portal.access import visible
from portal.catalogue import exports, selectors
from portal.catalogue.forms import ItemFilterForm, ListFilterForm, district_rows, local_name
from portal.catalogue.models import BasicService, ListKind, ServiceItem
from portal.pagecache import public_page
from portal.registry import registry

PAGE_SIZE = 20


def portal_parts() -> list[dict]:
    """The parts of the portal the apps registered for the home page, each link labelled as in
    the navigation (or with the part's title); a link whose URL name does not resolve (an app not
    installed) is left out, and a part left with no link too."""
    labels = {link.url_name: link.label for link in registry.nav_links()}
    parts = []
    for part in registry.home_parts():
        links = []
        for name in part.links:
            try:
                links.append({"url": reverse(name), "label": labels.get(name, part.title)})
            except NoReverseMatch:
                continue
        if links:
            parts.append({"key": part.key, "title": part.title, "text": part.text, "links": links})
    return parts


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _filters_open(request: HttpRequest) -> bool:
    """Show the filter panel unfolded when a filter other than the search words is set."""
    return any(value for key, value in request.GET.items() if key not in ("q", "page"))


def _page(request: HttpRequest, queryset, size: int = PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _filters(form: ItemFilterForm) -> selectors.ItemFilters | None:
    """The filters of the form's valid fields; invalid ones are shown as errors and ignored."""
    if not form.is_bound:
        return None
    form.is_valid()
    return form.filters()


@require_GET
@public_page()
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/home.html",
        {
            "parts": portal_parts(),
            "popular": selectors.popular_items(8),
            "lists": selectors.handling_lists(),
        },
    )


def _item_page(request: HttpRequest, searching: bool) -> HttpResponse:
    """The catalogue by code, or with search words the services that match, best first, each
    once with the districts that handle it (ADR 0108)."""
    form = ItemFilterForm(request.GET or None)
    filters = _filters(form)
    context = {
        "form": form,
        "filters": filters,
        "query": _query_without_page(request),
        "searching": searching,
        "filters_open": _filters_open(request),
        "search_query": filters.q if filters else "",
    }
    if filters and filters.q:
        district = filters.district or selectors.home_district(request.user)
        result = selectors.search_services(
            selectors.filter_items(replace(filters, q="")),
            filters.q,
            district=district,
            page=request.GET.get("page"),
            per_page=PAGE_SIZE,
        )
        context.update(page_obj=result.page, result=result, district=district)
    else:
        # one row per basic service, its districts on the row (ADR 0121)
        result = selectors.browse_services(
            selectors.filter_items(filters or selectors.ItemFilters()),
            district=filters.district if filters else "",
            page=request.GET.get("page"),
            per_page=PAGE_SIZE,
        )
        context.update(page_obj=result.page, result=result)
    return render(request, "catalogue/item_list.html", context)


@require_GET
@public_page()
def item_list(request: HttpRequest) -> HttpResponse:
    return _item_page(request, searching=False)


@require_GET
@public_page()
def search(request: HttpRequest) -> HttpResponse:
    return _item_page(request, searching=True)


@require_GET
@public_page()
def service_detail(request: HttpRequest, basic_code: str) -> HttpResponse:
    """A basic service once: what it is, its legal basis and competent levels, "choose your
    district" (a plain GET form: ``?district=`` redirects to the implementation that serves that
    district) and the table of its implementations."""
    try:
        basic = selectors.get_basic_service(basic_code)
    except BasicService.DoesNotExist as exc:
        raise Http404(_("No service has this code.")) from exc
    items = list(selectors.implementations(basic))
    districts = district_rows()
    chosen = request.GET.get("district", "")
    not_here = next((row for row in districts if row[0] == chosen), None)  # a known district
    if not_here:
        item, _own = selectors.implementation_for_district(items, chosen)
        if item is not None:
            return redirect(item)
    english = (get_language() or "").startswith("en")
    return render(
        request,
        "catalogue/service_detail.html",
        {
            "basic": basic,
            "items": items,
            "districts": [
                (code, name_en if english and name_en else name)
                for code, name, name_en in districts
            ],
            "chosen": chosen,
            "not_here": (not_here[2] if english else not_here[1]) if not_here else "",
        },
    )


@require_GET
@public_page(per="minute")  # the outlets panel says which are open now
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        item = selectors.get_item(code)
    except ServiceItem.DoesNotExist as exc:
        moved = selectors.get_item_by_former_code(code)
        if moved is not None:  # an address from before the national codes (ADR 0121)
            query = request.GET.urlencode()
            url = moved.get_absolute_url() + (f"?{query}" if query else "")
            return HttpResponsePermanentRedirect(url)
        raise Http404(_("No service item has this code.")) from exc
    scope = selectors.handling_scope(item)
    return render(
        request,
        "catalogue/item_detail.html",
        {
            "item": item,
            "others": selectors.other_implementations(item),
            "scope": scope,
            "entries": selectors.item_list_entries(item),
            "item_panels": [panel.template for panel in registry.item_panels()],
            "lat": request.GET.get("lat", ""),
            "lng": request.GET.get("lng", ""),
            "query_string": request.GET.urlencode(),
        },
    )


@require_GET
@public_page()
def list_index(request: HttpRequest) -> HttpResponse:
    lists = {hl.kind: hl for hl in selectors.handling_lists()}
    entries = [{"kind": kind, "label": label, "list": lists.get(kind)} for kind, label in
               ListKind.choices]  # fmt: skip
    return render(request, "catalogue/list_index.html", {"entries": entries})


def _list_heading(kind: str) -> dict:
    """The list of ``kind`` and its title (404 for a kind that does not exist)."""
    if kind not in ListKind.values:
        raise Http404(_("There is no such list."))
    handling_list = selectors.get_list(kind)
    return {
        "kind": kind,
        "handling_list": handling_list,
        "title": local_name(handling_list) if handling_list else ListKind(kind).label,
    }


def _list_context(request: HttpRequest, kind: str) -> dict:
    heading = _list_heading(kind)
    form = ListFilterForm(request.GET or None)
    filters = _filters(form)
    return {
        **heading,
        "kind_label": ListKind(kind).label,
        "form": form,
        "filters_open": _filters_open(request),
        # The list is published: the policy sees every item (one rule with the admin and API).
        "items": visible(request.user, selectors.list_items(kind, filters)),
    }


@require_GET
@public_page()
def list_detail(request: HttpRequest, kind: str) -> HttpResponse:
    context = _list_context(request, kind)
    # one row per service, its districts' implementations on the row (ADR 0121); the exports
    # list every implementation
    result = selectors.browse_services(
        context.pop("items"), page=request.GET.get("page"), per_page=PAGE_SIZE
    )
    context.update(
        page_obj=result.page,
        query=_query_without_page(request),
        history=selectors.list_history_summary(kind),
        regions=list(context["handling_list"].regions.all()) if context["handling_list"] else [],
    )
    return render(request, "catalogue/list_detail.html", context)


@require_GET
@public_page()
def list_history(request: HttpRequest, kind: str) -> HttpResponse:
    return render(
        request,
        "catalogue/list_history.html",
        {
            **_list_heading(kind),
            "page_obj": _page(request, selectors.list_history_events(kind), 50),
            "query": _query_without_page(request),
        },
    )


@require_GET
def list_export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    context = _list_context(request, kind)
    items = context["items"]
    filename = f"{kind}-list.{fmt}"
    if fmt == "csv":
        return exports.csv_response(items, filename)
    if fmt == "xlsx":
        return exports.xlsx_response(items, filename, str(context["title"]))
    if fmt == "pdf":
        key = exports.list_pdf_cache_key(kind, _query_without_page(request))
        return exports.pdf_response(items, filename, context, request, cache_key=key)
    raise Http404(_("Unknown export format."))
