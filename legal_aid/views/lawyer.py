"""The lawyer's page (ADR 0106): the cases offered to them, to accept or decline by the time
limit, and the cases assigned to them. A lawyer is an account bound to a lawyer record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal.workflow import Invalid, Refused

from .. import permissions as perms
from .. import selectors, services
from ..forms import NoteForm, ReasonsForm

ACTIONS = ("accept_offer", "decline_offer", "begin")


def _lawyer(request: HttpRequest):
    lawyer = perms.lawyer_of(request.user)
    if lawyer is None:
        raise PermissionDenied
    return lawyer


def cases(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    lawyer = _lawyer(request)
    page = Paginator(selectors.lawyer_cases(lawyer), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "legal_aid/lawyer/cases.html",
        {
            "lawyer": lawyer,
            "offers": list(selectors.lawyer_offers(lawyer)),
            "page_obj": page,
            "decline_form": ReasonsForm(),
        },
    )


@require_POST
def act(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _lawyer(request)
    if action not in ACTIONS:
        raise Http404
    form = (ReasonsForm if action == "decline_offer" else NoteForm)(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        services.take(
            reference,
            action,
            request.user,
            note=data.get("note", ""),
            **({"reasons": request.POST.get("reasons", "")} if action == "decline_offer" else {}),
        )
    except Invalid as error:
        messages.error(request, error.message)
    except Refused as error:
        messages.error(request, error.message)
    else:
        done = {
            "accept_offer": gettext("You accepted case %(ref)s."),
            "decline_offer": gettext("You declined case %(ref)s; it goes to the next lawyer."),
            "begin": gettext("Work on case %(ref)s has started."),
        }[action]
        messages.success(request, done % {"ref": reference})
    return redirect("legal_aid:lawyer_cases")
