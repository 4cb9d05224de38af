"""Signed-in work pages kept whole per viewer, keyed on the versions of what they show (ADR 0123).

A staff worklist or the statistics page is the same for one viewer until something it shows
changes, and it is opened again and again (after every case handled, on every filter). Rendering
it (a header, a form, a 25-row table) cost 10 to 30 ms of CPU; reading the versions that say
whether anything changed costs one or two primary-key reads. So the view, after it has checked
who the viewer is and what they may see, names the versions of its data (``parts``) and
:func:`private_page` keeps the rendered answer in the default cache (Redis in production) under
a key of:

- the viewer: their id, the name and role the header shows, the work pages it links to (the
  roles and bindings they stand for), the unread count of their inbox;
- the view's own ``parts``: the scope the viewer may see and the versions the database keeps
  for it (``approvals.worklist_version``, ``legal_aid.statistics_version``: raised by triggers
  in the transaction of every write, ORM or bulk SQL);
- what every page shows: the public data version (item and department names; ``pagecache``),
  the registry's version, the language, the host and path with its query, and today's date
  (what is overdue).

Only GET and HEAD, only 200 answers without cookies or ``Cache-Control``, and never while the
viewer has a message waiting (a flash message is shown once). The CSRF token (the header's sign
out) is stored as a placeholder and replaced by the viewer's own on the way out, as in
``pagecache``. Access is never cached: the view decides it before asking for the page, on every
request.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from portal import pagecache
from portal.registry import registry

PREFIX = "privatepage"
#: How long a page stays when nothing changes (a new version makes it unreachable sooner).
TIMEOUT = 600


def cacheable(request: HttpRequest) -> bool:
    """A GET by a signed-in viewer with no message waiting to be shown."""
    user = getattr(request, "user", None)
    if request.method not in ("GET", "HEAD") or not getattr(user, "is_authenticated", False):
        return False
    if "messages" in request.COOKIES or request.META.get("HTTP_AUTHORIZATION"):
        return False
    session = getattr(request, "session", None)
    return session is None or "_messages" not in session


def viewer(request: HttpRequest) -> tuple[Hashable, ...]:
    """What the header shows of the viewer: who they are, their work pages, their unread count
    (the queries the header would make anyway, asked once per request)."""
    from portal.context_processors import work_links
    from portal.notifications.selectors import unread_count_for_request

    user: Any = request.user
    links = tuple((url, str(label)) for url, label in work_links(user))
    return (user.pk, user.display_name, user.role, links, unread_count_for_request(request))


def key(request: HttpRequest, parts: Hashable) -> str:
    """The page's key but for the public data version, which is stored with the page and
    compared when it is read (one round trip to the cache for both)."""
    where = (
        f"{request.scheme}://{request.get_host()}{request.get_full_path()}|{get_language()}|"
        f"{timezone.localdate().isoformat()}|{registry.version}|"
        f"{viewer(request)!r}|{parts!r}"
    )
    return f"{PREFIX}:{hashlib.blake2b(where.encode(), digest_size=20).hexdigest()}"


def private_page(
    request: HttpRequest,
    parts: Hashable | None,
    render: Callable[[], HttpResponse],
) -> HttpResponse:
    """``render()``'s answer, or the one kept for this viewer under ``parts`` (see the module):
    a value whose ``repr`` names the view, its scope and its versions (a tuple, a frozen
    dataclass). ``parts`` None: not to be kept (a version the database does not have, a
    search)."""
    if parts is None or not cacheable(request) or not settings.PRIVATE_PAGE_CACHE:
        return render()
    page_key = key(request, parts)
    found = cache.get_many([page_key, *pagecache.version_keys()])
    version = pagecache.version_from(found)  # read before the render, as ``parts``
    kept = found.get(page_key)
    if kept is not None and kept[0] == version:
        return pagecache.replay(request, kept[1])
    response = render()
    stored = pagecache.storable(response)
    if stored is not None:
        cache.set(page_key, (version, stored), TIMEOUT)
    return response
