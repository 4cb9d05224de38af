"""What the domain apps add to the core, in one registry (in the manner of Open Forms'
``plugins/registry.py``).

The core (``portal/``) never names a domain app. An app adds its navigation link, its staff's
work page, its part of the home page, its panels on the catalogue's item and bundle pages, and
its reference and demo loaders here, in its ``AppConfig.ready()``::

    from portal.registry import registry

    class OutletsConfig(AppConfig):
        def ready(self):
            registry.add_nav_link("outlets:finder", _("Self-service outlets"), order=30)
            registry.add_work_page("outlets:manage_index", _("Outlet lists"), applies=is_manager)
            registry.add_item_panel("outlets/includes/item_outlets.html", order=20)
            registry.add_reference_loader("outlets", reference.load, after=["catalogue"])
            registry.add_demo_loader("outlets", "outlets.demo.load", after=["catalogue"])

The core reads it: the navigation and the staff's work pages (``portal.context_processors``,
the page after sign-in), the home page, the item page,
``manage.py load_reference`` and ``manage.py load_demo``. Entries are kept in ``order`` (then in
registration order); loaders run after the loaders they name in ``after``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class NavLink:
    url_name: str
    label: Any  # a lazy translation
    order: int = 100


@dataclass(frozen=True)
class WorkPage:
    """Where a signed-in member of staff works: the page they land on after sign-in (unless a
    ``next`` is given) and a link in the header. ``applies(user)`` says whose work page it is;
    it should look at the role first, so that it costs citizens no query."""

    url_name: str
    label: Any  # a lazy translation
    applies: Callable[[Any], bool]
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
class BundlePanel:
    """A template rendered on the catalogue's bundle page (一事全办) with the page's context
    (``bundle``, ``entries``, ``materials``): e.g. the approvals app's "apply" button."""

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
    #: bumped whenever the navigation or the home parts change, so what the core derives from
    #: them (resolved URLs) may be kept until then
    version: int = 0
    _parts: list[HomePart] = field(default_factory=list)
    _panels: list[ItemPanel] = field(default_factory=list)
    _bundle_panels: list[BundlePanel] = field(default_factory=list)
    _reference: dict[str, Loader] = field(default_factory=dict)
    _demo: dict[str, Loader] = field(default_factory=dict)
    _permissions: dict[str, dict[str, Any]] = field(default_factory=dict)
    _work: list[WorkPage] = field(default_factory=list)
    _user_bindings: list[str] = field(default_factory=list)

    # ---- adding (from AppConfig.ready()) -------------------------------------------------
    def add_nav_link(self, url_name: str, label: Any, *, order: int = 100) -> None:
        self._nav = [n for n in self._nav if n.url_name != url_name]
        self.version += 1
        self._nav.append(NavLink(url_name, label, order))

    def add_work_page(
        self, url_name: str, label: Any, *, applies: Callable[[Any], bool], order: int = 100
    ) -> None:
        """A role's work page (see :class:`WorkPage`); the first that applies, in ``order``, is
        where the user lands after sign-in."""
        self._work = [w for w in self._work if w.url_name != url_name]
        self._work.append(WorkPage(url_name, label, applies, order))

    def add_user_binding(self, path: str) -> None:
        """A one-to-one binding of a user to where they work (``select_related`` path, e.g.
        ``"acceptance_post"``), loaded with the signed-in user in the same query on every
        request (``portal.accounts.backends``): their header, work links and page scope ask
        for it on every page."""
        if path not in self._user_bindings:
            self._user_bindings.append(path)

    def add_home_part(
        self, key: str, *, title: Any, text: Any, links: Sequence[str], order: int = 100
    ) -> None:
        self._parts = [p for p in self._parts if p.key != key]
        self.version += 1
        self._parts.append(HomePart(key, title, text, tuple(links), order))

    def add_item_panel(self, template: str, *, order: int = 100) -> None:
        self._panels = [p for p in self._panels if p.template != template]
        self._panels.append(ItemPanel(template, order))

    def add_bundle_panel(self, template: str, *, order: int = 100) -> None:
        self._bundle_panels = [p for p in self._bundle_panels if p.template != template]
        self._bundle_panels.append(BundlePanel(template, order))

    def add_reference_loader(
        self, label: str, load: Callable[..., Any] | str, *, after: Iterable[str] = ()
    ) -> None:
        self._reference[label] = Loader(label, _callable(load), tuple(after))

    def add_demo_loader(
        self, label: str, load: Callable[..., Any] | str, *, after: Iterable[str] = ()
    ) -> None:
        """``load`` may be a dotted path (``"outlets.demo.load"``): the module is then imported
        only when the loader runs, not in every process that starts the portal."""
        self._demo[label] = Loader(label, _callable(load), tuple(after))

    def add_role_permissions(self, role: str, app_label: str, rule: Any) -> None:
        """The admin permissions a role's group gets on an app's models: a tuple of actions
        (``("view", "change")``) for all of them or a ``{model: actions}`` mapping
        (``portal.accounts.roles`` applies them after every migrate)."""
        self._permissions.setdefault(role, {})[app_label] = rule

    # ---- reading (the core) --------------------------------------------------------------
    def role_permissions(self) -> dict[str, dict[str, Any]]:
        return {role: dict(rules) for role, rules in self._permissions.items()}

    def nav_links(self) -> list[NavLink]:
        return sorted(self._nav, key=lambda n: n.order)

    def work_pages(self, user: Any) -> list[WorkPage]:
        """The work pages of ``user`` (none for visitors and citizens), first the one to land
        on."""
        if not getattr(user, "is_authenticated", False):
            return []
        return [w for w in sorted(self._work, key=lambda w: w.order) if w.applies(user)]

    def user_bindings(self) -> tuple[str, ...]:
        return tuple(self._user_bindings)

    def home_parts(self) -> list[HomePart]:
        return sorted(self._parts, key=lambda p: p.order)

    def item_panels(self) -> list[ItemPanel]:
        return sorted(self._panels, key=lambda p: p.order)

    def bundle_panels(self) -> list[BundlePanel]:
        return sorted(self._bundle_panels, key=lambda p: p.order)

    def reference_loaders(self, only: Iterable[str] | None = None) -> list[Loader]:
        return _in_order(self._reference, only, "reference")

    def demo_loaders(self, only: Iterable[str] | None = None) -> list[Loader]:
        return _in_order(self._demo, only, "demo")

    # ---- tests ---------------------------------------------------------------------------
    @contextmanager
    def isolated(self, *, empty: bool = False) -> Iterator[Registry]:
        """For tests: inside the block the registry holds what it held (nothing, with
        ``empty``); what the block adds or replaces is undone when it ends."""
        saved = (list(self._nav), list(self._parts), list(self._panels))
        saved_bundle_panels = list(self._bundle_panels)
        saved_work = list(self._work)
        saved_bindings = list(self._user_bindings)
        saved_loaders = (dict(self._reference), dict(self._demo))
        saved_permissions = self.role_permissions()
        if empty:
            self._nav, self._parts, self._panels = [], [], []
            self._bundle_panels = []
            self._work = []
            self._user_bindings = []
            self.version += 1
            self._reference, self._demo = {}, {}
            self._permissions = {}
        try:
            yield self
        finally:
            self._nav, self._parts, self._panels = saved
            self._bundle_panels = saved_bundle_panels
            self._work = saved_work
            self._user_bindings = saved_bindings
            self.version += 1
            self._reference, self._demo = saved_loaders
            self._permissions = saved_permissions


def _callable(load: Callable[..., Any] | str) -> Callable[..., Any]:
    if not isinstance(load, str):
        return load

    def imported_when_run(*args: Any, **kwargs: Any) -> Any:
        return import_string(load)(*args, **kwargs)

    imported_when_run.__qualname__ = load
    return imported_when_run


def _in_order(loaders: dict[str, Loader], only: Iterable[str] | None, kind: str) -> list[Loader]:
    """The loaders (those named in ``only``, when given) with each after those it names in
    ``after`` that are registered, otherwise in registration order (``only``'s own order does
    not matter); a name in ``only`` that is not registered is an error, and so is a cycle."""
    named = None if only is None else set(only)
    unknown = sorted((named or set()) - set(loaders))
    if unknown:
        raise RegistryError(f"No {kind} data for: {', '.join(unknown)}.")
    wanted = [label for label in loaders if named is None or label in named]
    done: list[Loader] = []
    visiting: set[str] = set()

    def visit(label: str) -> None:
        if any(loader.label == label for loader in done):
            return
        if label in visiting:
            raise RegistryError(f"The {kind} loaders depend on each other in a cycle: {label}.")
        visiting.add(label)
        for before in loaders[label].after:
            if before in loaders and (named is None or before in named):
                visit(before)
        visiting.discard(label)
        done.append(loaders[label])

    for label in wanted:
        visit(label)
    return done


registry = Registry()
