"""Queries over notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from .access import inbox_of
from .models import Channel, Notification

if TYPE_CHECKING:
    from portal.accounts.models import User


def inbox_for(user: User) -> QuerySet[Notification]:
    """The signed-in user's own in-site messages, newest first. Never anyone else's (the
    policy's inbox, ``portal.notifications.access``)."""
    return Notification.objects.filter(inbox_of(user)).order_by("-created_at", "-id")


def unread_count(user: User) -> int:
    if not user.is_authenticated:
        return 0
    return inbox_for(user).filter(read_at__isnull=True).count()


def outbox() -> QuerySet[Notification]:
    """SMS and WeChat messages as a gateway would have received them (development outbox)."""
    return Notification.objects.filter(channel__in=[Channel.SMS, Channel.WECHAT]).order_by(
        "-created_at", "-id"
    )
