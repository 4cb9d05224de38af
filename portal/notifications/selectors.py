"""Queries over notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.http import HttpRequest

from .access import inbox_of
from .models import Channel, Notification

if TYPE_CHECKING:
    from portal.accounts.models import User


def inbox_for(user: User) -> QuerySet[Notification]:
    """The signed-in user's own in-site messages, newest first. Never anyone else's (the
    policy's inbox, ``portal.notifications.access``)."""
    return Notification.objects.filter(inbox_of(user)).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    """How many of ``user``'s inbox messages are unread (one COUNT over a partial index)."""
    if not user.is_authenticated:
        return 0
    return inbox_for(user).filter(read_at__isnull=True).count()


def unread_count_for_request(request: HttpRequest) -> int:
    """:func:`unread_count` for the signed-in user of ``request``, asked once per request
    however many times the page shows it (the header's badge, the inbox heading)."""
    cached = getattr(request, "_unread_messages", None)
    if cached is None:
        user = getattr(request, "user", None)
        cached = unread_count(user) if user is not None else 0
        request._unread_messages = cached  # type: ignore[attr-defined]
    return cached


def forget_unread_count(request: HttpRequest) -> None:
    """After marking messages read within the request (the count is asked again)."""
    if hasattr(request, "_unread_messages"):
        del request._unread_messages


def outbox() -> QuerySet[Notification]:
    """SMS and WeChat messages as a gateway would have received them (development outbox)."""
    return Notification.objects.filter(channel__in=[Channel.SMS, Channel.WECHAT]).order_by(
        "-created_at", "-id"
    )
