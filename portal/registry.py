"""What the domain apps add to the core, in one registry (in the manner of Open Forms'
``plugins/registry.py``).

The core (``portal/``) never names a domain app. An app adds its navigation link, its part of the
home page, its panel on the catalogue's item page, and its reference and demo loaders here, in its
``AppConfig.ready()``::

    from portal.registry import registry

    class OutletsConfig(AppConfig):
        def ready(self):
            registry.add_nav_link("outlets:finder", _("Self-service outlets"), order=30)
            registry.add_item_panel("outlets/includes/item_outlets.html", order=20)
            registry.add_reference_loader("outlets", reference.load, after=["catalogue"])
            registry.add_demo_loader("outlets", demo.load, after=["catalogue", "accounts"])

The core reads it: the navigation (``portal.context_processors``), the home page, the item page,
``manage.py load_reference`` and ``manage.py load_demo``. Entries are kept in ``order`` (then in
registration order); loaders run after the loaders they name in ``after``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavLink:
    url_name: str
    label: Any  # a lazy translation
    order: int = 100


@dataclass(frozen=True)
class HomePart:
    """A part of the portal on the home page: a title, a sentence and links (URL names)."""

    key: str
    title: Any
    text: Any
    links: tuple[str, ...]
    order: int = 100


@dataclass(frozen=True)
class ItemPanel:
    """A template rendered on the catalogue's item page with the page's context (``item``,
    ``scope``, ``lat``, ``lng``, ``query_string``)."""

    template: str
    order: int = 100


@dataclass(frozen=True)
class Loader:
    """A data loader: ``load(stdout)`` loads idempotently (running it twice changes nothing)."""

    label: str
    load: Callable[..., Any]
    after: tuple[str, ...] = ()


class RegistryError(ValueError):
    pass


@dataclass
class Registry:
    _nav: list[NavLink] = field(default_factory=list)
    _parts: list[HomePart] = field(default_factory=list)
    _panels: list[ItemPanel] = field(default_factory=list)
    _reference: dict[str, Loader] = field(default_factory=dict)
    _demo: dict[str, Loader] = field(default_factory=dict)

    # ---- adding (from AppConfig.ready()) -------------------------------------------------
    def add_nav_link(self, url_name: str, label: Any, *, order: int = 100) -> None:
        self._nav = [n for n in self._nav if n.url_name != url_name]
        self._nav.append(NavLink(url_name, label, order))

    def add_home_part(
        self, key: str, *, title: Any, text: Any, links: Sequence[str], order: int = 100
    ) -> None:
        self._parts = [p for p in self._parts if p.key != key]
        self._parts.append(HomePart(key, title, text, tuple(links), order))

    def add_item_panel(self, template: str, *, order: int = 100) -> None:
        self._panels = [p for p in self._panels if p.template != template]
        self._panels.append(ItemPanel(template, order))

    def add_reference_loader(
        self, label: str, load: Callable[..., Any], *, after: Iterable[str] = ()
    ) -> None:
        self._reference[label] = Loader(label, load, tuple(after))

    def add_demo_loader(
        self, label: str, load: Callable[..., Any], *, after: Iterable[str] = ()
    ) -> None:
        self._demo[label] = Loader(label, load, tuple(after))

    # ---- reading (the core) --------------------------------------------------------------
    def nav_links(self) -> list[NavLink]:
        return sorted(self._nav, key=lambda n: n.order)

    def home_parts(self) -> list[HomePart]:
        return sorted(self._parts, key=lambda p: p.order)

    def item_panels(self) -> list[ItemPanel]:
        return sorted(self._panels, key=lambda p: p.order)

    def reference_loaders(self, only: Iterable[str] | None = None) -> list[Loader]:
        return _in_order(self._reference, only, "reference")

    def demo_loaders(self, only: Iterable[str] | None = None) -> list[Loader]:
        return _in_order(self._demo, only, "demo")


def _in_order(loaders: dict[str, Loader], only: Iterable[str] | None, kind: str) -> list[Loader]:
    """The loaders (those named in ``only``, when given) with each after those it names in
    ``after`` that are registered; a name in ``only`` that is not registered is an error, and so
    is a cycle."""
    wanted = list(loaders) if only is None else list(only)
    unknown = sorted(set(wanted) - set(loaders))
    if unknown:
        raise RegistryError(f"No {kind} data for: {', '.join(unknown)}.")
    done: list[Loader] = []
    visiting: set[str] = set()

    def visit(label: str) -> None:
        if any(loader.label == label for loader in done):
            return
        if label in visiting:
            raise RegistryError(f"The {kind} loaders depend on each other in a cycle: {label}.")
        visiting.add(label)
        for before in loaders[label].after:
            if before in loaders and (only is None or before in wanted):
                visit(before)
        visiting.discard(label)
        done.append(loaders[label])

    for label in wanted:
        visit(label)
    return done


registry = Registry()
