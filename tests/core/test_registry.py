"""The registry of what domain apps add to the core: ordered entries, loaders after the loaders
they need, a mistyped label or a cycle refused."""

from __future__ import annotations

import pytest

from portal.registry import Registry, RegistryError


def test_entries_come_in_their_order_and_a_second_add_replaces_the_first():
    registry = Registry()
    registry.add_nav_link("b:home", "B", order=20)
    registry.add_nav_link("a:home", "A", order=10)
    registry.add_nav_link("b:home", "B again", order=5)
    assert [(n.url_name, n.label) for n in registry.nav_links()] == [
        ("b:home", "B again"),
        ("a:home", "A"),
    ]


def test_loaders_run_after_what_they_need():
    registry = Registry()
    calls = []
    registry.add_demo_loader("outlets", lambda **_: calls.append("outlets"), after=["catalogue"])
    registry.add_demo_loader("catalogue", lambda **_: calls.append("catalogue"))
    registry.add_demo_loader("legal_aid", lambda **_: calls.append("legal_aid"), after=["gone"])
    assert [loader.label for loader in registry.demo_loaders()] == [
        "catalogue",
        "outlets",
        "legal_aid",
    ]
    # only what was asked for, still in order
    assert [loader.label for loader in registry.demo_loaders(["outlets"])] == ["outlets"]


def test_a_mistyped_label_and_a_cycle_are_refused():
    registry = Registry()
    registry.add_reference_loader("a", print, after=["b"])
    registry.add_reference_loader("b", print, after=["a"])
    with pytest.raises(RegistryError, match="catalog"):
        registry.reference_loaders(["catalog"])
    with pytest.raises(RegistryError, match="cycle"):
        registry.reference_loaders()
