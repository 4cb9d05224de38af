"""The outlet manager's pages name the items in the page's language (issue 14 point 9): an English
page shows an item's English name (``name_en``) on the draft, in the catalogue search's results
(the fragment the search fetches), in the preview's "what the public sees change" list, the
scheduled versions' "not carried" list, the comparison of two versions, the terminals page and the
messages after adding or removing; a Chinese page shows the Chinese name as before. An item
without an English name keeps its Chinese one, marked ``lang="zh-CN"``."""

import datetime

import pytest
from django.urls import reverse

from outlets import services

from .factories import (
    ManagerFactory,
    OutletFactory,
    SelfServiceItemFactory,
    TerminalFactory,
    bind,
    publish_items,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 12, 6, 10, 0)
NEW_YEAR = datetime.date(2027, 1, 1)

KEPT = ("社会保险参保证明打印", "Social insurance enrolment certificate printing")
DROPPED = ("住房公积金缴存查询", "Housing provident fund deposit enquiry")
NEW = ("不动产登记信息查询打印", "Real estate registration information printing")
RETARGETED = ("个人社保缴费证明打印", "Personal social insurance payment certificate printing")


@pytest.fixture
def desk(travel):
    """An outlet with two terminals; v1 public with three items, a fourth in the catalogue."""
    travel(TODAY)
    outlet = OutletFactory(code="QD-EN-1", name="测试便民服务中心")
    TerminalFactory(outlet=outlet, code="QD-EN-1-T1")
    TerminalFactory(outlet=outlet, code="QD-EN-1-T2")
    items = {
        key: SelfServiceItemFactory(code=f"QD-EN-{n}", name=zh, name_en=en)
        for n, (key, (zh, en)) in enumerate(
            {"kept": KEPT, "dropped": DROPPED, "new": NEW, "retargeted": RETARGETED}.items()
        )
    }
    manager = ManagerFactory(username="en_mgr")
    bind(manager, outlet)
    publish_items(
        outlet,
        [items["kept"], items["dropped"], items["retargeted"]],
        user=manager,
        effective=datetime.date(2026, 1, 1),
    )
    return outlet, manager, items


def _page(client, language: str, url: str, **headers) -> str:
    client.cookies["django_language"] = language
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return response.content.decode()


def _edit(client, outlet, items) -> None:
    """Add one item, take one off and limit one to a terminal (the draft against v1)."""
    client.post(reverse("outlets:manage_add", args=[outlet.code]), {"item": items["new"].code})
    client.post(
        reverse("outlets:manage_remove", args=[outlet.code]), {"item": items["dropped"].code}
    )
    client.post(
        reverse("outlets:manage_terminals", args=[outlet.code, items["retargeted"].code]),
        {"terminals": ["QD-EN-1-T1"]},
    )


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("en", 1, 0), ("zh-hans", 0, 1)], ids=["en", "zh"]
)
def test_the_draft_and_the_search_results_name_items_in_the_pages_language(
    client, desk, language, shown, hidden
):
    outlet, manager, items = desk
    client.force_login(manager)
    url = reverse("outlets:manage_draft", args=[outlet.code])
    draft = _page(client, language, url)
    assert KEPT[shown] in draft and KEPT[hidden] not in draft

    # the fragment the search form fetches (htmx), and the page without JavaScript
    code = items["new"].code
    fragment = _page(client, language, f"{url}?partial=search&q={code}", HX_Request="true")
    assert fragment.lstrip().startswith('<div id="search-results"')
    assert NEW[shown] in fragment and NEW[hidden] not in fragment
    whole = _page(client, language, f"{url}?q={code}")
    assert NEW[shown] in whole and NEW[hidden] not in whole


def test_an_english_manager_filters_the_draft_by_the_english_name(client, desk):
    outlet, manager, _items = desk
    client.force_login(manager)
    url = reverse("outlets:manage_draft", args=[outlet.code])
    page = _page(client, "en", f"{url}?within=provident")
    assert DROPPED[1] in page and KEPT[1] not in page


def test_the_messages_after_editing_name_the_item_in_english(client, desk):
    outlet, manager, items = desk
    client.force_login(manager)
    client.cookies["django_language"] = "en"
    add = reverse("outlets:manage_add", args=[outlet.code])
    page = client.post(add, {"item": items["new"].code}, follow=True).content.decode()
    assert f"Added {NEW[1]} to the draft." in page
    remove = reverse("outlets:manage_remove", args=[outlet.code])
    page = client.post(remove, {"item": items["new"].code}, follow=True).content.decode()
    assert f"Removed {NEW[1]} from the draft." in page
    terminals = reverse("outlets:manage_terminals", args=[outlet.code, items["kept"].code])
    assert f"Terminals for {KEPT[1]}" in _page(client, "en", terminals)
    page = client.post(terminals, {"terminals": ["QD-EN-1-T2"]}, follow=True).content.decode()
    assert f"Terminals saved for {KEPT[1]}." in page


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("en", 1, 0), ("zh-hans", 0, 1)], ids=["en", "zh"]
)
def test_the_preview_names_the_changes_and_the_scheduled_versions_items_in_the_pages_language(
    client, desk, language, shown, hidden
):
    outlet, manager, items = desk
    client.force_login(manager)
    _edit(client, outlet, items)  # the draft is started from v1, which lists every item
    # v2, scheduled for the new year, no longer lists the item whose terminals the draft limits
    publish_items(outlet, [items["kept"], items["dropped"]], user=manager, effective=NEW_YEAR)
    page = _page(client, language, reverse("outlets:manage_preview", args=[outlet.code]))
    added, rest = page.split('class="diff-added"', 1)[1].split("</ul>", 1)
    removed, rest = rest.split('class="diff-removed"', 1)[1].split("</ul>", 1)
    changed = rest.split('class="diff-terminals"', 1)[1].split("</ul>", 1)[0]
    assert NEW[shown] in added and NEW[hidden] not in added
    assert DROPPED[shown] in removed and DROPPED[hidden] not in removed
    assert RETARGETED[shown] in changed and RETARGETED[hidden] not in changed
    scheduled = page.split('id="scheduled-2"', 1)[1].split("</li>\n", 1)[0]
    not_carried = scheduled.split("<ul>", 1)[1]
    assert RETARGETED[shown] in not_carried and RETARGETED[hidden] not in not_carried


@pytest.mark.parametrize(
    ("language", "shown", "hidden"), [("en", 1, 0), ("zh-hans", 0, 1)], ids=["en", "zh"]
)
def test_comparing_versions_and_withdrawing_one_name_the_items_in_the_pages_language(
    client, desk, language, shown, hidden
):
    outlet, manager, items = desk
    client.force_login(manager)
    publish_items(outlet, [items["kept"], items["new"]], user=manager, effective=NEW_YEAR)
    compare = reverse("outlets:manage_compare", args=[outlet.code]) + "?a=1&b=2"
    withdraw = reverse("outlets:manage_withdraw", args=[outlet.code, 2])
    for url in (compare, withdraw):
        page = _page(client, language, url)
        assert NEW[shown] in page and NEW[hidden] not in page, url
        assert DROPPED[shown] in page and DROPPED[hidden] not in page, url


def test_an_item_without_an_english_name_keeps_its_chinese_name_marked_as_chinese(client, desk):
    outlet, manager, items = desk
    items["new"].name_en = ""
    items["new"].save(update_fields=["name_en"])
    client.force_login(manager)
    services.add_item(outlet, items["new"], user=manager)
    draft = _page(client, "en", reverse("outlets:manage_draft", args=[outlet.code]))
    assert f'<span lang="zh-CN">{NEW[0]}</span>' in draft
    preview = _page(client, "en", reverse("outlets:manage_preview", args=[outlet.code]))
    added = preview.split('class="diff-added"', 1)[1].split("</ul>", 1)[0]
    assert f'<span lang="zh-CN">{NEW[0]}</span>' in added
