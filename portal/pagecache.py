"""Cached public pages and API lists, keyed on the public data version and the language (ADR 0099).

The catalogue and the outlets are read far more than they change, and mostly by visitors who are
not signed in. Their pages and API lists are kept whole in the default cache (Redis in
production) under a key made of the items below; the data version is stored with the answer and
compared when it is read, so that one round trip to the cache reads both:

- the **public data version**: one token per watched app (``watch()``, called in the app's
  ``AppConfig.ready()``), replaced after every commit that saved or deleted one of the app's rows
  (``post_save``/``post_delete``/``m2m_changed``), or when a service that writes in bulk says so
  (``changed()``). A new token makes every answer kept under the old one unservable: an edit, a
  publish or an import shows on the next request, with no list of keys to delete;
- the language, the host, the path with its query string, and a time bucket: the day (lists in
  effect from a date) or the minute (outlets "open now");

and only for a visitor without a session or messages cookie (nothing on the page is theirs).
The CSRF token of the language switch is stored as a placeholder and replaced by the visitor's
own on the way out, so a cached page posts like a fresh one.

The core names no domain app: the apps register themselves with ``watch()``.
"""

from __future__ import annotations

import functools
import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from portal.registry import registry

PREFIX = "pagecache"
CSRF_PLACEHOLDER = "@@csrf-token@@"
_CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")([^"]+)(")')
#: How long a page stays when nothing changes (a new version or bucket makes it unreachable).
TIMEOUT = {"day": 3600, "minute": 120}

_watched: set[str] = set()


def watch(app_label: str) -> None:
    """Bump the public data version after every commit that changed a row of ``app_label``."""
    _watched.add(app_label)


def _version_key(app_label: str) -> str:
    return f"{PREFIX}:version:{app_label}"


def _bump(app_label: str) -> None:
    cache.set(_version_key(app_label), uuid.uuid4().hex[:12], timeout=None)


def changed(app_label: str) -> None:
    """The app's public data changed (bulk writes send no signals, so services that write in bulk
    call this). A new version at once, so this connection's next page (in a test, in the same
    transaction) shows the change, and again after commit: a page another process rendered from
    the old rows before the commit, under the first new version, is never seen again. The second
    bump is registered once per app and transaction, however many rows it wrote."""
    _bump(app_label)
    connection = transaction.get_connection()
    if not connection.in_atomic_block or any(
        getattr(callback, "pagecache_app", None) == app_label
        for _sids, callback, _robust in connection.run_on_commit
    ):
        return
    callback = functools.partial(_bump, app_label)
    callback.pagecache_app = app_label  # type: ignore[attr-defined]
    transaction.on_commit(callback)


def version_keys() -> list[str]:
    """The cache keys of the watched apps' versions, to be read with others in one round trip
    (``version_from``)."""
    return [_version_key(label) for label in sorted(_watched)]


def version_from(found: dict[str, Any]) -> str:
    """The public data version from a ``get_many`` that asked for ``version_keys()`` (an app
    never changed since the cache was emptied gets its first token here)."""
    keys = version_keys()
    missing = {key: uuid.uuid4().hex[:12] for key in keys if key not in found}
    for key, token in missing.items():
        if not cache.add(key, token, timeout=None):  # another process was first
            missing[key] = cache.get(key) or token
    return "-".join(found.get(key) or missing[key] for key in keys)


def data_version() -> str:
    """The current version of every watched app's public data, as one string."""
    return version_from(cache.get_many(version_keys()))


def _on_change(sender, **kwargs) -> None:
    if kwargs.get("raw") or getattr(sender, "__module__", "") == "__fake__":
        return  # fixtures, and migrations' historical models (after_migrate bumps once)
    label = getattr(getattr(sender, "_meta", None), "app_label", None)
    if label in _watched:
        changed(label)


def _on_m2m_change(sender, instance, action: str, **kwargs) -> None:
    if action.startswith("post_"):
        _on_change(sender)
        _on_change(type(instance))


def _after_migrate(sender, **kwargs) -> None:
    """Data migrations may change public data: a new version once migrate is done. A fresh
    database with the database cache has no cache table yet (made after migrate), so nothing can
    be cached there yet either. (post_migrate comes once per app; the core's is enough.)"""
    if sender.name != "portal":
        return
    for label in sorted(_watched):
        try:
            _bump(label)
        except DatabaseError:
            return


post_migrate.connect(_after_migrate, dispatch_uid="pagecache_post_migrate")
post_save.connect(_on_change, dispatch_uid="pagecache_post_save")
post_delete.connect(_on_change, dispatch_uid="pagecache_post_delete")
m2m_changed.connect(_on_m2m_change, dispatch_uid="pagecache_m2m_changed")


def cacheable(request: HttpRequest) -> bool:
    """A GET from a visitor with no session and no messages: the page holds nothing of theirs."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.META.get("HTTP_AUTHORIZATION")
    )


@dataclass
class Key:
    """Where a page is kept. The data version is not in the key but stored with the answer, so
    that one round trip reads the answer and the version together (``lookup``); an answer of
    another version is not served."""

    now: str  # this time bucket's answer
    latest: str  # the last answer rendered, whatever the bucket
    per: str
    version: str = ""  # the data version ``lookup`` read, stored with the answer

    def lookup(self) -> object | None:
        """The stored answer, or None when this request is to render it (and then ``store``).

        When a bucket ends (the minute of "open now"), every request would miss at once and
        render the same page, queued behind each other on the workers (a p99 of 120 ms at 10x in
        the finder). Only the first renders; the others get the latest answer for the same data
        version meanwhile: late by the render time at most, never from older data."""
        found = cache.get_many([self.now, self.latest, *version_keys()])
        self.version = version_from(found)
        now, latest = found.get(self.now), found.get(self.latest)
        if now is not None and now[0] == self.version:
            return now[1]
        if (
            latest is not None
            and latest[0] == self.version
            and not cache.add(f"{self.now}:{self.version}:rendering", 1, timeout=10)
        ):
            return latest[1]
        return None

    def store(self, value: object) -> None:
        """Keep ``value`` under the version read before it was rendered."""
        kept = (self.version or data_version(), value)
        cache.set_many({self.now: kept, self.latest: kept}, TIMEOUT[self.per])


def key(
    request: HttpRequest, per: str = "day", extra: str = "", clock: Callable | None = None
) -> Key:
    now = clock() if clock else timezone.localtime()
    bucket = now.strftime("%Y%m%d%H%M" if per == "minute" else "%Y%m%d")
    where = hashlib.blake2b(
        f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{extra}".encode(),
        digest_size=16,
    ).hexdigest()
    # the registry's version: what the apps add to the pages (navigation, home parts, panels)
    base = f"{PREFIX}:{registry.version}:{get_language()}"
    return Key(now=f"{base}:{bucket}:{where}", latest=f"{base}:latest:{where}", per=per)


def public_page(per: str = "day", clock: Callable | None = None) -> Callable:
    """Cache the view's 200 answers to visitors (see the module). ``per``: "day" or "minute",
    how long the page's content may depend on the clock; ``clock``: the app's own clock (local
    time), when it keeps one."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not cacheable(request):
                return view(request, *args, **kwargs)
            page_key = key(request, per, clock=clock)
            stored = page_key.lookup()
            if stored is not None:
                return replay(request, stored)  # type: ignore[arg-type]
            response = view(request, *args, **kwargs)
            stored = storable(response)
            if stored is not None:
                page_key.store(stored)
            return response

        return wrapped

    return decorate


def storable(response: HttpResponse) -> tuple[bytes, dict[str, str]] | None:
    """What to keep of an answer (its body, the CSRF token as a placeholder, and its headers),
    or None when it is not to be kept: not a 200, streamed, setting cookies or saying how it
    may be cached."""
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or response.has_header("Cache-Control")
    ):
        return None
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    content = _CSRF_FIELD.sub(rb"\g<1>" + CSRF_PLACEHOLDER.encode() + rb"\g<3>", response.content)
    headers = {k: v for k, v in response.items() if k.lower() != "content-length"}
    return content, headers


def replay(request: HttpRequest, stored: tuple[bytes, dict[str, str]]) -> HttpResponse:
    """A kept answer, with the visitor's own CSRF token in its forms."""
    content, headers = stored
    placeholder = CSRF_PLACEHOLDER.encode()
    if placeholder in content:
        content = content.replace(placeholder, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response


class CachedPublicListMixin:
    # For a DRF list view: the rendered page of an anonymous caller is kept under the same kind
    # of key as the pages (version, language, path with query, ``cache_per`` bucket, the media
    # type negotiated), after authentication and throttling have run. Signed-in users and system
    # clients are served fresh (their answers may depend on who they are). No docstring: the
    # OpenAPI description of a view comes from the first docstring of its classes.

    cache_per = "day"
    cache_clock: Callable | None = None  # the app's clock (a staticmethod), as in public_page()
    _list_key: Key | None = None

    def list(self, request, *args, **kwargs):
        self._list_key = None
        if request.user.is_authenticated or request.auth is not None or not cacheable(request):
            return super().list(request, *args, **kwargs)
        media_type = getattr(request, "accepted_media_type", "")
        list_key = key(
            request._request, self.cache_per, extra=f"api|{media_type}", clock=self.cache_clock
        )
        stored = list_key.lookup()
        if stored is not None:
            content, content_type = stored  # type: ignore[misc]
            return HttpResponse(content, content_type=content_type)
        self._list_key = list_key
        return super().list(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._list_key and response.status_code == 200:
            response.render()
            self._list_key.store((response.content, response["Content-Type"]))
        return response
