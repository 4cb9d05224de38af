"""Pages of the outlets app: the citizen finder, outlet pages, the city list, and the outlet
managers' draft editor. Thin: rules live in ``services`` and ``selectors``."""

from __future__ import annotations

import csv
import datetime
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

from portal.catalogue.forms import local_name
from portal.catalogue.models import ServiceItem
from portal.pagecache import public_page
from portal.signing import authorities as signing_authorities
from portal.signing.documents import signed_pdf_response
from portal.signing.services import SigningFailed

from . import hours as clock
from . import selectors, services
from .forms import (
    AddItemForm,
    CompareForm,
    FinderForm,
    ImportForm,
    PreviewDateForm,
    PublishForm,
    TerminalsForm,
    WithdrawForm,
)
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
            origin_name = local_name(seat)
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
            added = _("Added %(name)s to the draft.") % {"name": local_name(item)}
            messages.success(request, added)
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
            removed = _("Removed %(name)s from the draft.") % {"name": local_name(item)}
            messages.success(request, removed)
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
                request, _("Terminals saved for %(name)s.") % {"name": local_name(entry.item)}
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


def _confirm_choices(plan: selectors.PublicationPlan) -> list[tuple[int, str]]:
    choices = []
    for scheduled in plan.scheduled:
        if not scheduled.needs_confirmation:
            continue
        version = scheduled.version
        values = {"number": version.number, "date": version.effective_date.isoformat()}
        if scheduled.fate == selectors.Fate.REPLACED:
            text = _(
                "Version %(number)d, scheduled for %(date)s, is withdrawn: my version takes its "
                "place with its list and my changes."
            )
        else:
            text = _(
                "Version %(number)d, scheduled for %(date)s, is withdrawn and replaced by a new "
                "version for the same date with my changes carried into it."
            )
        choices.append((version.number, text % values))
    return choices


def _rebound(form: PublishForm, initial: dict, choices: list) -> PublishForm:
    """``form`` again with its errors and the note kept, its hidden fields set to the plan shown
    now (a changed comparison is then published only after the manager has seen it)."""
    data = form.data.copy()
    data["effective_date"] = initial["effective_date"].isoformat()
    data["compared_with"] = str(initial["compared_with"])
    fresh = PublishForm(data, confirm_choices=choices)
    fresh.is_valid()
    for name, errors in form.errors.items():
        for error in errors:
            if error not in fresh.errors.get(name, []):
                fresh.add_error(None if name == "__all__" else name, error)
    return fresh


def _publication_messages(request: HttpRequest, publication: services.Publication) -> None:
    version = publication.version
    messages.success(
        request,
        _("Version %(number)d published, in effect from %(date)s.")
        % {"number": version.number, "date": version.effective_date.isoformat()},
    )
    for old, new in publication.replaced:
        values = {
            "old": old.number,
            "new": new.number,
            "date": old.effective_date.isoformat(),
        }
        messages.info(
            request,
            _(
                "Version %(old)d, scheduled for %(date)s, was withdrawn; version %(new)d takes "
                "its place with your changes."
            )
            % values,
        )


def _day_or_none(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip()[:10])
    except ValueError:
        return None


@manager_outlet
def manage_preview(request: HttpRequest, outlet: Outlet) -> HttpResponse:
    """What publishing the draft on a chosen date does: the draft against the list public on that
    date, every version scheduled after today and what happens to it, and the publish form."""
    draft = services.get_or_create_draft(outlet)
    today = clock.local_now().date()
    data = request.POST if request.method == "POST" else request.GET
    date_form = PreviewDateForm(data if "effective_date" in data else None, auto_id="when_%s")
    day = _day_or_none(data.get("effective_date", "")) or today
    if date_form.is_bound and date_form.is_valid():
        try:
            services.check_effective_date(day, today)
        except ValidationError as exc:
            date_form.add_error("effective_date", exc.message_dict["effective_date"])
    if date_form.errors:
        day = today
    plan = selectors.publication_plan(outlet, draft, day, today)
    choices = _confirm_choices(plan)
    initial = {"effective_date": day, "compared_with": plan.compared_with}
    status = 400 if date_form.errors else 200
    if request.method == "POST":
        form = PublishForm(request.POST, confirm_choices=choices)
        if not date_form.errors and form.is_valid():
            try:
                publication = services.publish(
                    outlet,
                    user=request.user,
                    effective_date=form.cleaned_data["effective_date"],
                    note=form.cleaned_data["note"],
                    today=today,
                    confirm_scheduled=form.cleaned_data["confirm_scheduled"],
                    compared_with=form.cleaned_data["compared_with"],
                )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                _publication_messages(request, publication)
                return redirect("outlets:manage_history", outlet.code)
        # refused: the page shows the plan as it is now, and the form posts that plan next time
        form = _rebound(form, initial, choices)
        status = 400
    else:
        form = PublishForm(initial=initial, confirm_choices=choices)
    if not date_form.is_bound:
        date_form = PreviewDateForm(initial={"effective_date": day}, auto_id="when_%s")
    return render(
        request,
        "outlets/manage/preview.html",
        {
            "outlet": outlet,
            "draft": draft,
            "plan": plan,
            "diff": plan.diff,
            "today": today,
            "date_form": date_form,
            "form": form,
        },
        status=status,
    )


@require_POST
@manager_outlet
def manage_discard(request: HttpRequest, outlet: Outlet) -> HttpResponse:
    services.discard_draft(outlet, user=request.user)
    messages.success(request, _("The draft was discarded."))
    return redirect("outlets:manage_index")


@manager_outlet
def manage_history(request: HttpRequest, outlet: Outlet) -> HttpResponse:
    today = clock.local_now().date()
    versions = list(selectors.version_history(outlet))
    in_effect = selectors.version_in_effect(outlet, today)
    return render(
        request,
        "outlets/manage/history.html",
        {
            "outlet": outlet,
            "versions": versions,
            "in_effect": in_effect,
            "today": today,
            "form": CompareForm(),
        },
    )


@manager_outlet
def manage_withdraw(request: HttpRequest, outlet: Outlet, number: int) -> HttpResponse:
    """Withdraw a scheduled version: what the public will see on its date instead, then a
    confirmation (a form that works without JavaScript)."""
    today = clock.local_now().date()
    version = selectors.scheduled_versions(outlet, today).filter(number=number).first()
    if version is None:
        raise Http404(_("No version with this number is scheduled."))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(outlet, number, user=request.user, today=today)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("Version %(number)d was withdrawn; it will not take effect.")
                % {"number": number},
            )
            return redirect("outlets:manage_history", outlet.code)
    instead = selectors.version_in_effect_without(outlet, version)
    return render(
        request,
        "outlets/manage/withdraw.html",
        {
            "outlet": outlet,
            "version": version,
            "instead": instead,
            "diff": selectors.diff_versions(instead, version),
            "form": form,
        },
        status=400 if form.errors else 200,
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
    published = selectors.numbered_versions(outlet)
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
