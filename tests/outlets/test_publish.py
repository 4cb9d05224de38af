"""A manager edits the draft and publishes it with an effective date: the public sees the new list
from that date, the history keeps every version, and published versions never change."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from outlets import selectors, services
from outlets.models import ItemListVersion, PublishedVersionError

from .factories import (
    ManagerFactory,
    OutletFactory,
    SelfServiceItemFactory,
    TerminalFactory,
    bind,
    publish_items,
    weekday_hours,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 11, 24, 10, 0)


@pytest.fixture
def setting(travel):
    travel(TODAY)
    outlet = OutletFactory(code="QD-TEST-1", name="测试政务服务大厅")
    weekday_hours(outlet)
    t1 = TerminalFactory(outlet=outlet, code="QD-TEST-1-T1")
    t2 = TerminalFactory(outlet=outlet, code="QD-TEST-1-T2")
    old_item = SelfServiceItemFactory(name="住房公积金缴存查询")
    kept = SelfServiceItemFactory(name="社会保险参保证明打印")
    new_item = SelfServiceItemFactory(name="不动产登记信息查询打印")
    manager = ManagerFactory(username="mgr")
    bind(manager, outlet)
    publish_items(outlet, [old_item, kept], user=manager, effective=datetime.date(2026, 1, 1))
    return outlet, manager, old_item, kept, new_item, (t1, t2)


def test_manager_publishes_from_a_date_and_the_public_switches_then(client, travel, setting):
    outlet, manager, old_item, kept, new_item, (t1, _t2) = setting
    client.force_login(manager)
    # edit the draft through the pages
    response = client.post(
        reverse("outlets:manage_add", args=[outlet.code]), {"item": new_item.code}
    )
    assert response.status_code == 302
    client.post(reverse("outlets:manage_remove", args=[outlet.code]), {"item": old_item.code})
    client.post(
        reverse("outlets:manage_terminals", args=[outlet.code, new_item.code]),
        {"terminals": [t1.code]},
    )
    preview = client.get(reverse("outlets:manage_preview", args=[outlet.code]))
    text = preview.content.decode()
    assert new_item.name in text and old_item.name in text  # added and removed
    response = client.post(
        reverse("outlets:manage_preview", args=[outlet.code]),
        {"effective_date": "2026-12-01", "note": "十二月清单"},
    )
    assert response.status_code == 302

    public = reverse("outlets:outlet_detail", args=[outlet.code])
    client.logout()
    page = client.get(public).content.decode()
    assert old_item.name in page and new_item.name not in page  # before the date: the old list

    travel(datetime.datetime(2026, 12, 1, 9, 0))
    page = client.get(public).content.decode()
    assert new_item.name in page and old_item.name not in page and kept.name in page
    assert "QD-TEST-1-T1" in page

    history = list(selectors.version_history(outlet))
    assert [v.number for v in history] == [2, 1]
    assert history[0].published_by == manager and history[0].note == "十二月清单"
    old_codes = set(history[1].entries.values_list("item__code", flat=True))
    assert old_codes == {old_item.code, kept.code}


def test_the_effective_date_cannot_be_in_the_past(client, setting):
    outlet, manager, _old, _kept, new_item, _t = setting
    client.force_login(manager)
    client.post(reverse("outlets:manage_add", args=[outlet.code]), {"item": new_item.code})
    response = client.post(
        reverse("outlets:manage_preview", args=[outlet.code]), {"effective_date": "2026-11-23"}
    )
    assert response.status_code == 400
    assert "不能早于今天" in response.content.decode() or "past" in response.content.decode()
    assert list(response.context["date_form"].errors) == ["effective_date"]
    assert ItemListVersion.objects.filter(outlet=outlet, status="published").count() == 1


def test_an_unchanged_draft_is_not_published_again(setting):
    outlet, manager, *_ = setting
    services.get_or_create_draft(outlet)
    with pytest.raises(ValidationError):
        services.publish(outlet, user=manager, effective_date=TODAY.date())


def test_publishing_today_takes_effect_at_once(setting):
    outlet, manager, _old, _kept, new_item, _t = setting
    services.add_item(outlet, new_item, user=manager)
    version = services.publish(outlet, user=manager, effective_date=TODAY.date()).version
    assert selectors.version_in_effect(outlet, TODAY.date()) == version
    assert version.entry_count == 3


def test_the_draft_starts_from_the_latest_published_list_with_its_terminals(setting):
    outlet, manager, old_item, kept, new_item, (_t1, t2) = setting
    services.add_item(outlet, new_item, [t2.code], user=manager)
    services.publish(outlet, user=manager, effective_date=datetime.date(2027, 1, 1))
    services.discard_draft(outlet, user=manager)
    draft = services.get_or_create_draft(outlet)
    entries = {e.item.code: [t.code for t in e.terminals.all()] for e in draft.entries.all()}
    assert entries == {old_item.code: [], kept.code: [], new_item.code: [t2.code]}


def test_published_versions_are_immutable(setting):
    outlet = setting[0]
    version = ItemListVersion.objects.get(outlet=outlet, status="published")
    version.note = "changed"
    with pytest.raises(PublishedVersionError):
        version.save()


def test_an_item_that_cannot_be_done_at_a_terminal_is_refused(setting):
    outlet, manager, *_ = setting
    counter_only = SelfServiceItemFactory(self_service=False)
    with pytest.raises(ValidationError):
        services.add_item(outlet, counter_only, user=manager)


def test_terminals_must_belong_to_the_outlet(setting):
    outlet, manager, _o, _k, new_item, _t = setting
    stranger = TerminalFactory(code="ELSEWHERE-T1")
    with pytest.raises(ValidationError):
        services.add_item(outlet, new_item, [stranger.code], user=manager)


def test_compare_two_versions(client, setting):
    outlet, manager, old_item, kept, new_item, (t1, _t2) = setting
    services.add_item(outlet, new_item, user=manager)
    services.remove_item(outlet, old_item, user=manager)
    services.set_terminals(outlet, kept, [t1.code], user=manager)
    services.publish(outlet, user=manager, effective_date=TODAY.date())
    diff = selectors.diff_versions(*selectors.version_history(outlet).reverse())
    assert [c.code for c in diff.added] == [new_item.code]
    assert [c.code for c in diff.removed] == [old_item.code]
    assert [(c.code, c.old_terminals, c.new_terminals) for c in diff.terminals_changed] == [
        (kept.code, [], [t1.code])
    ]
    client.force_login(manager)
    page = client.get(reverse("outlets:manage_compare", args=[outlet.code]), {"a": 1, "b": 2})
    assert page.status_code == 200
    text = page.content.decode()
    assert new_item.name in text and old_item.name in text and "QD-TEST-1-T1" in text


def test_two_publishes_get_consecutive_numbers(setting):
    outlet, manager, old_item, _k, new_item, _t = setting
    services.add_item(outlet, new_item, user=manager)
    first = services.publish(outlet, user=manager, effective_date=TODAY.date()).version
    services.remove_item(outlet, old_item, user=manager)
    second = services.publish(outlet, user=manager, effective_date=TODAY.date()).version
    assert (first.number, second.number) == (2, 3)
    assert selectors.version_in_effect(outlet, TODAY.date()) == second


def test_publish_form_offers_today_in_the_date_pickers_format(client, setting):
    outlet, manager, *_ = setting
    client.force_login(manager)
    page = client.get(reverse("outlets:manage_preview", args=[outlet.code])).content.decode()
    assert 'type="date"' in page and 'value="2026-11-24"' in page
