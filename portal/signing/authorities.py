"""Which authorities sign: each source (added by an app in ``AppConfig.ready()``) lists
``(code, name)`` pairs. ``make_dev_ca`` makes a development key for every one; the departments
of the catalogue (a core app) are listed here, a domain app adds its own (legal-aid centres)::

    from portal.signing.authorities import add_source
    add_source("legal_aid", "legal_aid.signing.authorities")
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.utils.module_loading import import_string

Source = Callable[[], Iterable[tuple[str, str]]]
_sources: dict[str, Source | str] = {}

#: signs what the portal issues in no single department's name (e.g. outlet lists)
GENERIC = "portal"
GENERIC_NAME = "青岛市行政审批服务局"


def add_source(label: str, source: Source | str) -> None:
    _sources[label] = source


def department_code(department: Any) -> str:
    """The authority code of a catalogue department."""
    return f"dept:{department.code}"


def departments() -> Iterator[tuple[str, str]]:
    from portal.catalogue.models import Department

    for code, name in Department.objects.order_by("code").values_list("code", "name"):
        yield f"dept:{code}", name


def all_authorities() -> list[tuple[str, str]]:
    found: dict[str, str] = {GENERIC: GENERIC_NAME}
    for source in _sources.values():
        function = import_string(source) if isinstance(source, str) else source
        for code, name in function():
            found.setdefault(code, name)
    return sorted(found.items())


add_source("catalogue", departments)
