"""Pages of the outlets app: the citizen finder, outlet pages, the city list, and the outlet
managers' draft editor. Thin: rules live in ``services`` and ``selectors``."""

from __future__ import annotations

import csv
import functools
import hashlib
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.catalogue.models import ServiceItem
from portal.pagecache import public_page
from portal.signing import authorities as signing_authorities
from portal.signing.documents import signed_pdf_response
from portal.signing.services import SigningFailed

from . import hours as clock
from . import selectors, services
from .forms import AddItemForm, CompareForm, FinderForm, ImportForm, PublishForm, TerminalsForm
from .models import Operator, Outlet, OutletKind

PAGE_SIZE = 20
CITY_PAGE_SIZE = 50


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- citizen pages ------


def _clock():
    return clock.local_now()  # looked up at each call: tests travel in time


@public_page(per="minute", clock=_clock)  # open now
def finder(request: HttpRequest) -> HttpResponse:
    """Outlets offering an item, nearest first, with the distance and whether they are open."""
    district_list = list(selectors.districts())
    form = FinderForm(request.GET or None, districts=district_list)
    context: dict = {"form": form, "districts": district_list}
    query = selectors.FinderQuery(now=clock.local_now())
    item, alternatives, origin_name = None, [], ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data.get("item"):
            item = ServiceItem.objects.filter(code=data["item"], is_active=True).first()
        if item is None and data.get("q"):
            item, alternatives = selectors.resolve_item(data["q"])
            context["no_item"] = item is None
        query.item = item
        query.district = data.get("district") or None
        query.kind = data.get("kind") or None
        query.operator = data.get("operator") or None
        query.open_now = True if data.get("open_now") else None
        if data.get("lat") is not None:
            query.near = (data["lat"], data["lng"])
            origin_name = _("your location")
        elif data.get("origin") or query.district:
            # without the visitor's location: from the seat of the district they chose
            code = data.get("origin") or query.district
            seat = next(d for d in district_list if d.code == code)
            query.near = (float(seat.latitude), float(seat.longitude))
            origin_name = seat.name
    page = Paginator(selectors.find_outlets(query), PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        item=item,
        alternatives=alternatives,
        page_obj=page,
        outlets=page.object_list,
        near=query.near,
        origin_name=origin_name,
        query=_query_without_page(request),
        searched=form.is_bound,
    )
    return render(request, "outlets/finder.html", context)


def _outlet_page_context(code: str) -> dict:
    now = clock.local_now()
    outlet = selectors.outlet_for_page(code, now)
    if outlet is None:
        raise Http404(_("No outlet with this code."))
    version = selectors.version_in_effect(outlet, now.date())
    items = selectors.listed_items(version)
    hours = list(outlet.opening_hours.all())
    item_url = reverse("catalogue:item_detail", args=["ITEMCODE"])
    prefix, suffix = item_url.split("ITEMCODE")
    return {
        "outlet": outlet,
        "version": version,
        "items": items,
        "groups": selectors.group_by_domain(items),
        "item_url_prefix": prefix,
        "item_url_suffix": suffix,
        "terminals": list(outlet.terminals.all()),
        "week": selectors.hours_by_weekday(hours),
        "today_hours": selectors.hours_today(outlet, hours, now.date()),
        "today": now.date(),
        "now": now,
    }


@public_page(per="minute", clock=_clock)
def outlet_detail(request: HttpRequest, code: str) -> HttpResponse:
    context = _outlet_page_context(code)
    context["can_manage"] = selectors.can_manage(request.user, context["outlet"])
    return render(request, "outlets/outlet_detail.html", context)


def outlet_items_csv(request: HttpRequest, code: str) -> HttpResponse:
    context = _outlet_page_context(code)
    outlet = context["outlet"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{outlet.code}-items.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the Chinese as UTF-8
    writer = csv.writer(response)
    writer.writerow([_("item code"), _("item name"), _("domain"), _("terminals")])
    all_terminals = _("all terminals")
    for item in context["items"]:
        writer.writerow(
            [item.code, item.name, item.domain_label, "; ".join(item.terminals) or all_terminals]
        )
    return response


def outlet_items_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The outlet's list as a sealed PDF (the generic authority's seal), issued once per
    version of what it shows: the list in effect, the outlet's particulars and hours."""
    context = _outlet_page_context(code)
    outlet = context["outlet"]
    shown = [
        context["version"].pk if context["version"] else 0,
        outlet.name,
        outlet.address,
        outlet.phone,
        [(w, [(str(h.opens), str(h.closes)) for h in hours]) for w, _l, hours in context["week"]],
    ]
    version = hashlib.sha256(repr(shown).encode()).hexdigest()[:16]
    try:
        return signed_pdf_response(
            "outlets/outlet_items_pdf.html",
            {**context, "authority_name": signing_authorities.GENERIC_NAME},
            f"{outlet.code}-items.pdf",
            request=request,
            kind="outlet_list",
            subject=outlet.code,
            authority=signing_authorities.GENERIC,
            authority_name=signing_authorities.GENERIC_NAME,
            title=f"{outlet.name} 自助事项清单",
            version=version,
        )
    except SigningFailed as exc:
        messages.error(request, _("The list could not be issued as a PDF: %s") % exc)
        return redirect("outlets:outlet_detail", code=outlet.code)


@public_page(per="minute", clock=_clock)
def city_list(request: HttpRequest) -> HttpResponse:
    """Every outlet and the size of its list in effect (市级清单查阅)."""
    district_list = list(selectors.districts())
    filters = {
        "district_id": request.GET.get("district", ""),
        "kind": request.GET.get("kind", ""),
        "operator": request.GET.get("operator", ""),
    }
    if filters["kind"] not in OutletKind.values:
        filters["kind"] = ""
    if filters["operator"] not in Operator.values:
        filters["operator"] = ""
    if filters["district_id"] not in {d.code for d in district_list}:
        filters["district_id"] = ""
    outlets = selectors.city_list(
        district=filters["district_id"], kind=filters["kind"], operator=filters["operator"]
    )
    page = Paginator(outlets, CITY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outlets/city_list.html",
        {
            "page_obj": page,
            "outlets": page.object_list,
            "districts": district_list,
            "kinds": OutletKind.choices,
            "operators": Operator.choices,
            "filters": filters,
            "query": _query_without_page(request),
        },
    )


# --- manager pages ------


def manager_outlet(view: Callable) -> Callable:
    """Sign-in required; 404 for an unknown outlet, 403 unless the user manages it."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, code: str, *args, **kwargs) -> HttpResponse:
        outlet = get_object_or_404(Outlet, code=code)
        services.check_manager(request.user, outlet)
        return view(request, outlet, *args, **kwargs)

    return wrapper


@login_required
def manage_index(request: HttpRequest) -> HttpResponse:
    if not selectors.may_manage_some(request.user):
        raise PermissionDenied(_("Only outlet managers can manage outlet lists."))
    today = clock.local_now().date()
    outlets = selectors.with_current_version(
        selectors.managed_outlets(request.user).select_related("district"), today
    ).order_by("code")
    return render(request, "outlets/manage/index.html", {"outlets": outlets})


def _edit_url(outlet: Outlet, **params) -> str:
    url = reverse("outlets:manage_draft", args=[outlet.code])
    params = {k: v for k, v in params.items() if v}
    return f"{url}?{urlencode(params)}" if params else url


@manager_outlet
def manage_draft(request: HttpRequest, outlet: Outlet) -> HttpResponse:
    """The draft: its items (filterable), a catalogue search to add more."""
    draft = services.get_or_create_draft(outlet)
    search = request.GET.get("q", "").strip()[:100]
    within = request.GET.get("within", "").strip()[:100]
    page = Paginator(selectors.draft_entries(draft, within), 50).get_page(request.GET.get("page"))
    results = selectors.items_to_add(draft, search) if search else []
    context = {
        "outlet": outlet,
        "draft": draft,
        "page_obj": page,
        "entries": page.object_list,
        "search": search,
        "within": within,
        "results": results,
        "query": _query_without_page(request),
        "terminal_count": outlet.terminals.count(),
    }
    if request.headers.get("HX-Request") and request.GET.get("partial") == "search":
        return render(request, "outlets/manage/_search_results.html", context)
    return render(request, "outlets/manage/draft.html", context)


def _item_or_error(request: HttpRequest, outlet: Outlet, form: AddItemForm):
    if not form.is_valid():
        return None
    item = ServiceItem.objects.filter(code=form.cleaned_data["item"]).first()
    if item is None:
        messages.error(
            request, _("Unknown item code %(code)s.") % {"code": form.cleaned_data["item"]}
        )
    return item


@require_POST
@manager_outlet
def manage_add(request: HttpRequest, outlet: Outlet) -> HttpResponse:
    form = AddItemForm(request.POST)
    item = _item_or_error(request, outlet, form)
    if item is not None:
        try:
            services.add_item(outlet, item, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Added %(name)s to the draft.") % {"name": item.name})
    elif not form.is_valid():
        messages.error(request, _("Give an item code."))
    return redirect(_edit_url(outlet, q=request.POST.get("q", "")))


@require_POST
@manager_outlet
def manage_remove(request: HttpRequest, outlet: Outlet) -> HttpResponse:
    form = AddItemForm(request.POST)
    item = _item_or_error(request, outlet, form)
    if item is not None:
        if services.remove_item(outlet, item, user=request.user):
            messages.success(request, _("Removed %(name)s from the draft.") % {"name": item.name})
        else:
            messages.error(request, _("%(code)s is not on the draft.") % {"code": item.code})
    return redirect(_edit_url(outlet, within=request.POST.get("within", "")))


@manager_outlet
def manage_terminals(request: HttpRequest, outlet: Outlet, item_code: str) -> HttpResponse:
    draft = services.get_or_create_draft(outlet)
    entry = selectors.draft_entries(draft).filter(item__code=item_code).first()
    if entry is None:
        raise Http404(_("The item is not on the draft."))
    terminals = list(outlet.terminals.all())
    if request.method == "POST":
        form = TerminalsForm(request.POST, terminals=terminals)
        if form.is_valid():
            services.set_terminals(
                outlet, entry.item, form.cleaned_data["terminals"], user=request.user
            )
            messages.success(
                request, _("Terminals saved for %(name)s.") % {"name": entry.item.name}
            )
            return redirect(_edit_url(outlet))
    else:
        form = TerminalsForm(
            initial={"terminals": [t.code for t in entry.terminals.all()]}, terminals=terminals
        )
    return render(
        request,
        "outlets/manage/terminals.html",
        {"outlet": outlet, "entry": entry, "form": form},
    )


@manager_outlet
def manage_import(request: HttpRequest, outlet: Outlet) -> HttpResponse:
    problems = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.import_items(
                    outlet,
                    upload.read(),
                    upload.name,
                    replace=form.cleaned_data["replace"],
                    user=request.user,
                )
            except services.ImportRejected as exc:
                problems = exc.problems
            else:
                messages.success(
                    request,
                    _("Imported %(rows)d rows; the draft now has %(entries)d items.")
                    % {"rows": result.rows, "entries": result.entries},
                )
                return redirect("outlets:manage_preview", outlet.code)
    else:
        form = ImportForm()
    status = 400 if problems else 200
    return render(
        request,
        "outlets/manage/import.html",
        {"outlet": outlet, "form": form, "problems": problems},
        status=status,
    )


@manager_outlet
def manage_preview(request: HttpRequest, outlet: Outlet) -> HttpResponse:
    """The draft against the latest published list, and the publish form."""
    draft = services.get_or_create_draft(outlet)
    latest = selectors.latest_published(outlet)
    today = clock.local_now().date()
    if request.method == "POST":
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                version = services.publish(
                    outlet,
                    user=request.user,
                    effective_date=form.cleaned_data["effective_date"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    _("Version %(number)d published, in effect from %(date)s.")
                    % {"number": version.number, "date": version.effective_date.isoformat()},
                )
                return redirect("outlets:manage_history", outlet.code)
    else:
        form = PublishForm(initial={"effective_date": today})
    return render(
        request,
        "outlets/manage/preview.html",
        {
            "outlet": outlet,
            "draft": draft,
            "latest": latest,
            "in_effect": selectors.version_in_effect(outlet, today),
            "diff": selectors.diff_versions(latest, draft),
            "form": form,
        },
        status=400 if form.is_bound else 200,
    )


@require_POST
@manager_outlet
def manage_discard(request: HttpRequest, outlet: Outlet) -> HttpResponse:
    services.discard_draft(outlet, user=request.user)
    messages.success(request, _("The draft was discarded."))
    return redirect("outlets:manage_index")


@manager_outlet
def manage_history(request: HttpRequest, outlet: Outlet) -> HttpResponse:
    versions = list(selectors.version_history(outlet))
    in_effect = selectors.version_in_effect(outlet)
    return render(
        request,
        "outlets/manage/history.html",
        {"outlet": outlet, "versions": versions, "in_effect": in_effect, "form": CompareForm()},
    )


@manager_outlet
def manage_compare(request: HttpRequest, outlet: Outlet) -> HttpResponse:
    form = CompareForm(request.GET)
    if not form.is_valid():
        versions = list(selectors.version_history(outlet))
        return render(
            request,
            "outlets/manage/history.html",
            {"outlet": outlet, "versions": versions, "form": form},
            status=400,
        )
    published = selectors.published_versions(outlet)
    older = published.filter(number=form.cleaned_data["a"]).first()
    newer = published.filter(number=form.cleaned_data["b"]).first()
    if older is None or newer is None:
        raise Http404(_("No such version."))
    return render(
        request,
        "outlets/manage/compare.html",
        {
            "outlet": outlet,
            "older": older,
            "newer": newer,
            "diff": selectors.diff_versions(older, newer),
        },
    )
