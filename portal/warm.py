"""Warm a web master before it forks its workers (ADR 0126).

gunicorn's master loads the application once and forks every worker from it. Django loads much
of what a request needs only on the first request: the URL configuration with every app's views
(0.16 s), the Redis client library (0.12 s), the translation catalogues and each template's
compiled form. A forked worker would load them again on its first requests, and so would each
worker that replaces a recycled one, with the requests that reach it waiting. :func:`warm` loads
them in the master, so every worker starts with them.

It opens no connection: nothing here touches the database or the cache, and to be sure it closes
any database connection a module might have opened at import, since a connection inherited
across a fork would be shared by every worker.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils.translation import trans_real

logger = logging.getLogger(__name__)


def _template_names(directories: list[Path]) -> set[str]:
    return {
        str(path.relative_to(directory))
        for directory in directories
        if directory.is_dir()
        for path in directory.rglob("*.html")
    }


def warm() -> int:
    """Load the URLs and views, the cache's client library, the catalogues of every language
    and every template of the project's and its apps' template directories. Returns the number
    of templates compiled."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every app's URL module and its views
    resolver.reverse_dict  # noqa: B018 - and builds what reverse() looks names up in

    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend.endswith("RedisCache"):
        import redis  # noqa: F401 - what the first cache call would import

    for language, _name in settings.LANGUAGES:
        trans_real.translation(language)  # reads and merges the language's catalogues

    compiled = 0
    for engine in engines.all():
        directories = [Path(d) for d in engine.template_dirs]
        for name in sorted(_template_names(directories)):
            try:
                engine.get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError):  # a partial, not a page
                logger.debug("template %s not warmed", name)
                continue
            compiled += 1
    connections.close_all()
    return compiled
