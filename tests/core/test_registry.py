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


def test_only_picks_loaders_in_their_order_not_in_the_order_asked():
    registry = Registry()
    registry.add_demo_loader("catalogue", print)
    registry.add_demo_loader("accounts", print)
    registry.add_demo_loader("outlets", print)
    assert [loader.label for loader in registry.demo_loaders(["outlets", "catalogue"])] == [
        "catalogue",
        "outlets",
    ]


def test_a_loader_given_by_dotted_path_is_imported_only_when_it_runs(monkeypatch):
    import sys

    monkeypatch.delitem(sys.modules, "tests.core.registry_loader_module", raising=False)
    registry = Registry()
    registry.add_demo_loader("late", "tests.core.registry_loader_module.load")
    (loader,) = registry.demo_loaders()
    assert "tests.core.registry_loader_module" not in sys.modules
    assert loader.load(stdout=None) == "loaded"
    assert "tests.core.registry_loader_module" in sys.modules


def test_isolated_undoes_what_the_block_did():
    registry = Registry()
    registry.add_nav_link("a:home", "A")
    registry.add_item_panel("a.html")
    with registry.isolated():
        registry.add_nav_link("b:home", "B")
        registry.add_nav_link("a:home", "A again")
        assert [n.label for n in registry.nav_links()] == ["B", "A again"]
    with registry.isolated(empty=True):
        assert registry.nav_links() == [] and registry.item_panels() == []
    assert [n.label for n in registry.nav_links()] == ["A"]
    assert [p.template for p in registry.item_panels()] == ["a.html"]


# ---- what the installed apps register (in their AppConfig.ready()) --------------------------


@pytest.mark.django_db
def test_the_apps_register_the_navigation_and_the_home_parts_in_order(client):
    response = client.get("/")
    html = response.content.decode()
    nav = [(entry["url"], str(entry["label"])) for entry in response.context["portal_nav"]]
    assert nav == [
        ("/items/", "办事服务"),
        ("/bundles/", "一事全办"),
        ("/lists/", "通办清单"),
        ("/outlets/", "自助服务网点"),
        ("/cases/", "我的办件"),
        ("/legal-aid/", "法律援助"),
    ]
    parts = response.context["parts"]
    assert [(part["key"], str(part["title"])) for part in parts] == [
        ("catalogue", "服务事项与清单"),
        ("outlets", "自助服务网点"),
        ("approvals", "我的办件与无感审批"),
        ("legal_aid", "法律援助"),
    ]
    # the parts link to the navigation's pages, in its order and with its labels
    links = [(link["url"], str(link["label"])) for part in parts for link in part["links"]]
    assert links == nav
    assert "可在全市任一法律援助中心或网上申请法律援助；咨询热线 12348。" in html


@pytest.mark.django_db
def test_the_item_page_has_the_apply_panel_then_the_outlets_panel(client):
    from tests.factories import ServiceItemFactory

    item = ServiceItemFactory(online=True, self_service=True)
    html = client.get(item.get_absolute_url()).content.decode()
    assert 'id="apply-heading"' in html and 'id="item-outlets-heading"' in html
    assert html.index('id="apply-heading"') < html.index('id="item-outlets-heading"')


def test_the_demo_loaders_run_in_the_order_of_the_installed_apps():
    from portal.registry import registry

    assert [loader.label for loader in registry.demo_loaders()] == [
        "catalogue",
        "bundles",
        "accounts",
        "outlets",
        "approvals",
        "proactive",
        "legal_aid",
    ]
