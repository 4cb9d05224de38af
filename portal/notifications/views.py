"""The signed-in user's inbox and the development outbox."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Notification


def _local(link: str) -> str:
    """A link to the portal itself as a path: messages carry absolute links (SMS, mail) under
    ``PUBLIC_BASE_URL``, which need not be the host this request came to."""
    base = settings.PUBLIC_BASE_URL.rstrip("/")
    if base and link.startswith(base + "/"):
        return link[len(base) :]
    return link


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(selectors.inbox_for(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/inbox.html",
        {"page_obj": page_obj, "unread": selectors.unread_count_for_request(request)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        notification = services.mark_read(request.user, pk)
    except Notification.DoesNotExist:
        raise Http404 from None
    target = request.POST.get("next") or ""
    if target == "link" and notification.link:
        target = _local(notification.link)
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(request.user)
    messages.success(request, _("%(count)d messages marked as read.") % {"count": count})
    return redirect("notifications:inbox")


def outbox(request: HttpRequest) -> HttpResponse:
    """SMS and WeChat messages the local outbox backend kept (what a phone would show).
    Open to everyone only in DEBUG (demo sign-in codes); otherwise administrators only."""
    user = request.user
    if not (settings.DEBUG or (user.is_authenticated and user.is_superuser)):
        raise PermissionDenied
    page_obj = Paginator(selectors.outbox(), 50).get_page(request.GET.get("page"))
    return render(request, "notifications/outbox.html", {"page_obj": page_obj})
