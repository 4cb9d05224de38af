"""The header's unread-message badge: ``unread_messages`` is a callable, so a page that does not
show it (a visitor's) asks nothing, and one that shows it twice asks once."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest

from .selectors import unread_count_for_request


def unread_messages(request: HttpRequest) -> dict[str, Callable[[], int]]:
    return {"unread_messages": lambda: unread_count_for_request(request)}
