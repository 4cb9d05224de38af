"""Publishing while a version is scheduled for later (issue 14 point 1, ADR 0102): the preview
compares the draft with the list public on the chosen date and says what else is scheduled; the
publication brings nothing forward and, when the scheduled version's date comes, reverts nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from outlets import selectors, services
from outlets.models import ItemListVersion, VersionStatus
from outlets.selectors import Fate

from .factories import (
    ManagerFactory,
    OutletFactory,
    SelfServiceItemFactory,
    TerminalFactory,
    bind,
    publish_items,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)
NEW_YEAR = datetime.date(2027, 1, 1)


def codes_on(outlet, day: datetime.date) -> set[str]:
    version = selectors.version_in_effect(outlet, day)
    return set(version.entries.values_list("item__code", flat=True))


@pytest.fixture
def registry(travel):
    """v1 and v2 public, v3 scheduled for 2027-01-01 with twelve more items."""
    travel(datetime.datetime(2026, 12, 6, 10, 0))
    outlet = OutletFactory(code="QD-SCHED-1", name="测试便民服务中心")
    terminal = TerminalFactory(outlet=outlet, code="QD-SCHED-1-T1")
    old = [SelfServiceItemFactory(code=f"OLD-{n:02d}") for n in range(10)]
    next_year = [SelfServiceItemFactory(code=f"NEXT-{n:02d}") for n in range(12)]
    extra = SelfServiceItemFactory(code="MINE-01", name="个人社保缴费证明打印")
    manager = ManagerFactory(username="sched_mgr")
    bind(manager, outlet)
    publish_items(outlet, old[:8], user=manager, effective=datetime.date(2026, 1, 1))
    publish_items(outlet, old, user=manager, effective=datetime.date(2026, 7, 1))
    publish_items(outlet, old + next_year, user=manager, effective=NEW_YEAR)
    return {
        "outlet": outlet,
        "manager": manager,
        "old": old,
        "next_year": next_year,
        "extra": extra,
        "terminal": terminal,
    }


def test_publishing_today_with_a_version_scheduled_brings_nothing_forward_nor_reverts(registry):
    outlet, manager, extra = registry["outlet"], registry["manager"], registry["extra"]
    v2_codes = {i.code for i in registry["old"]}
    v3_codes = v2_codes | {i.code for i in registry["next_year"]}
    assert codes_on(outlet, TODAY) == v2_codes

    # the manager's draft starts from the last list decided (v3) and adds one item
    services.add_item(outlet, extra, user=manager)
    draft = selectors.draft_of(outlet)
    assert draft.based_on.number == 3

    # the preview for today compares with v2, the list public today, and shows v3 as scheduled
    plan = selectors.publication_plan(outlet, draft, TODAY)
    assert plan.public.number == 2 and plan.compared_with == 2
    assert [c.code for c in plan.diff.added] == ["MINE-01"]
    assert plan.diff.removed == [] and plan.diff.terminals_changed == []
    assert [c.code for c in plan.changes.added] == ["MINE-01"]
    [scheduled] = plan.scheduled
    assert scheduled.version.number == 3 and scheduled.version.effective_date == NEW_YEAR
    assert len(scheduled.diff.added) == 12 and scheduled.diff.removed == []  # v3 against v2
    assert scheduled.fate == Fate.CARRIED
    assert [c.code for c in scheduled.carried.added] == ["MINE-01"]
    assert plan.to_confirm == [3]

    publication = services.publish(
        outlet, user=manager, effective_date=TODAY, confirm_scheduled=[3], compared_with=2
    )
    assert publication.version.number == 4
    [(old, replacement)] = publication.replaced
    assert (old.number, replacement.number) == (3, 5)
    assert replacement.effective_date == NEW_YEAR

    # today: exactly v2 and the manager's change; none of next year's items came forward
    assert codes_on(outlet, TODAY) == v2_codes | {"MINE-01"}
    assert selectors.version_in_effect(outlet, TODAY).number == 4
    # on v3's date: next year's list and the manager's change, nothing reverted
    assert codes_on(outlet, NEW_YEAR) == v3_codes | {"MINE-01"}
    assert selectors.version_in_effect(outlet, NEW_YEAR).number == 5
    v3 = ItemListVersion.objects.get(outlet=outlet, number=3)
    assert v3.status == VersionStatus.WITHDRAWN and v3.replaced_by.number == 5
    assert v3.withdrawn_by == manager
    assert set(v3.entries.values_list("item__code", flat=True)) == v3_codes  # history kept
    # the draft is the last list decided again, so the same edit is not published twice
    draft = selectors.draft_of(outlet)
    assert draft.based_on.number == 5 and draft.entry_count == len(v3_codes) + 1
    with pytest.raises(ValidationError):
        services.publish(outlet, user=manager, effective_date=TODAY)


def test_a_removal_and_a_terminal_change_are_carried_into_the_scheduled_version(registry):
    outlet, manager, terminal = registry["outlet"], registry["manager"], registry["terminal"]
    first, second = registry["old"][0], registry["old"][1]
    services.remove_item(outlet, first, user=manager)
    services.set_terminals(outlet, second, [terminal.code], user=manager)
    services.publish(outlet, user=manager, effective_date=TODAY, confirm_scheduled=[3])
    for day in (TODAY, NEW_YEAR):
        version = selectors.version_in_effect(outlet, day)
        entries = {e.item.code: [t.code for t in e.terminals.all()] for e in version.entries.all()}
        assert first.code not in entries
        assert entries[second.code] == [terminal.code]


def test_publishing_without_confirming_the_scheduled_version_changes_nothing(registry):
    outlet, manager = registry["outlet"], registry["manager"]
    services.add_item(outlet, registry["extra"], user=manager)
    before = list(ItemListVersion.objects.order_by("pk").values_list("pk", "status"))
    with pytest.raises(ValidationError) as refused:
        services.publish(outlet, user=manager, effective_date=TODAY)
    assert "confirm_scheduled" in refused.value.message_dict
    assert "2027-01-01" in refused.value.message_dict["confirm_scheduled"][0]
    with pytest.raises(ValidationError) as stale:
        services.publish(
            outlet, user=manager, effective_date=TODAY, confirm_scheduled=[3], compared_with=3
        )
    assert "compared_with" in stale.value.message_dict
    assert list(ItemListVersion.objects.order_by("pk").values_list("pk", "status")) == before


def test_publishing_for_the_scheduled_date_replaces_that_version(registry):
    outlet, manager, extra = registry["outlet"], registry["manager"], registry["extra"]
    services.add_item(outlet, extra, user=manager)
    draft = selectors.draft_of(outlet)
    plan = selectors.publication_plan(outlet, draft, NEW_YEAR)
    assert plan.public.number == 3 and plan.scheduled[0].fate == Fate.REPLACED
    assert [c.code for c in plan.diff.added] == ["MINE-01"]
    publication = services.publish(
        outlet, user=manager, effective_date=NEW_YEAR, confirm_scheduled=[3]
    )
    assert publication.replaced[0][1] == publication.version
    assert codes_on(outlet, TODAY) == {i.code for i in registry["old"]}  # today: still v2
    assert "MINE-01" in codes_on(outlet, NEW_YEAR)
    assert len(codes_on(outlet, NEW_YEAR)) == 23


def test_publishing_after_the_scheduled_date_builds_on_it(registry):
    outlet, manager, extra = registry["outlet"], registry["manager"], registry["extra"]
    services.add_item(outlet, extra, user=manager)
    later = datetime.date(2027, 3, 1)
    plan = selectors.publication_plan(outlet, selectors.draft_of(outlet), later)
    assert plan.public.number == 3 and plan.scheduled[0].fate == Fate.BEFORE
    assert plan.to_confirm == []
    services.publish(outlet, user=manager, effective_date=later)
    assert "MINE-01" not in codes_on(outlet, NEW_YEAR)
    assert "MINE-01" in codes_on(outlet, later) and len(codes_on(outlet, later)) == 23


def test_a_scheduled_version_can_be_withdrawn_before_its_date_only(registry, travel):
    outlet, manager = registry["outlet"], registry["manager"]
    with pytest.raises(ValidationError):
        services.withdraw(outlet, 2, user=manager)  # in effect: the public has seen it
    services.withdraw(outlet, 3, user=manager)
    assert codes_on(outlet, NEW_YEAR) == {i.code for i in registry["old"]}
    with pytest.raises(ValidationError):
        services.withdraw(outlet, 3, user=manager)  # once
    assert selectors.scheduled_versions(outlet, TODAY).count() == 0


def test_a_draft_started_from_a_withdrawn_version_publishes_only_its_own_edits(registry):
    outlet, manager, extra = registry["outlet"], registry["manager"], registry["extra"]
    services.add_item(outlet, extra, user=manager)  # the draft holds v3's twelve items too
    services.withdraw(outlet, 3, user=manager)
    services.publish(outlet, user=manager, effective_date=TODAY)
    assert codes_on(outlet, NEW_YEAR) == {i.code for i in registry["old"]} | {"MINE-01"}


def test_the_preview_runs_a_fixed_number_of_queries(registry, django_assert_max_num_queries):
    outlet, manager = registry["outlet"], registry["manager"]
    services.add_item(outlet, registry["extra"], user=manager)
    draft = selectors.draft_of(outlet)
    with django_assert_max_num_queries(5):
        selectors.publication_plan(outlet, draft, TODAY)


def test_the_api_previews_publishes_and_withdraws_by_the_same_rules(client, registry):
    outlet, manager, extra = registry["outlet"], registry["manager"], registry["extra"]
    client.force_login(manager)
    base = f"/api/v1/outlets/{outlet.code}/"
    response = client.post(base + "draft/items/", {"item": extra.code}, "application/json")
    assert response.status_code == 201

    preview = client.get(base + "draft/diff/", {"effective_date": TODAY.isoformat()}).json()
    assert preview["against"] == 2 and [c["code"] for c in preview["added"]] == ["MINE-01"]
    assert preview["confirm_scheduled"] == [3]
    [scheduled] = preview["scheduled"]
    assert (scheduled["number"], scheduled["effective_date"]) == (3, "2027-01-01")
    assert (scheduled["added"], scheduled["fate"]) == (12, "carried")
    assert [c["code"] for c in scheduled["carried"]["added"]] == ["MINE-01"]

    # without naming the scheduled version: a field problem, and nothing published
    refused = client.post(base + "publish/", {"effective_date": "2026-12-06"}, "application/json")
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "2027-01-01" in refused.json()["errors"]["confirm_scheduled"][0]
    assert ItemListVersion.objects.filter(outlet=outlet).exclude(status="draft").count() == 3

    response = client.post(
        base + "publish/",
        {"effective_date": "2026-12-06", "confirm_scheduled": [3], "compared_with": 2},
        "application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == 4 and body["replaced"] == [{"number": 3, "replaced_by": 5}]
    assert codes_on(outlet, TODAY) == {i.code for i in registry["old"]} | {"MINE-01"}
    assert "MINE-01" in codes_on(outlet, NEW_YEAR) and len(codes_on(outlet, NEW_YEAR)) == 23

    history = client.get(base + "versions/").json()
    assert [(v["number"], v["status"], v["replaced_by"]) for v in history] == [
        (5, "published", None),
        (4, "published", None),
        (3, "withdrawn", 5),
        (2, "published", None),
        (1, "published", None),
    ]
    in_effect = client.post(base + "versions/4/withdraw/")
    assert in_effect.status_code == 400 and "number" in in_effect.json()["errors"]
    assert client.post(base + "versions/9/withdraw/").status_code == 404
    withdrawn = client.post(base + "versions/5/withdraw/")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert selectors.version_in_effect(outlet, NEW_YEAR).number == 4


def test_the_preview_page_compares_with_the_list_public_on_the_date(
    client, registry, django_assert_max_num_queries
):
    from django.urls import reverse

    outlet, manager, extra = registry["outlet"], registry["manager"], registry["extra"]
    client.force_login(manager)
    services.add_item(outlet, extra, user=manager)
    url = reverse("outlets:manage_preview", args=[outlet.code])
    client.get(url)  # warm the per-process caches
    with django_assert_max_num_queries(18):
        page = client.get(url)
    text = page.content.decode()
    assert "版本 2（自 2026-07-01 起生效）" in text
    assert "新增 1 项" in text or "1 added" in text
    assert 'id="scheduled-3"' in text and "2027-01-01" in text
    # the same number of queries with three times the scheduled versions and items
    for n in range(2):
        more = [SelfServiceItemFactory(code=f"MORE-{n}-{i}") for i in range(30)]
        publish_items(
            outlet, registry["old"] + more, user=manager, effective=datetime.date(2027, 2 + n, 1)
        )
    with django_assert_max_num_queries(18):
        page = client.get(url)
    assert 'id="scheduled-5"' in page.content.decode()

    # publishing from the page without ticking the scheduled versions: refused, nothing written
    response = client.post(url, {"effective_date": "2026-12-06", "compared_with": "2"})
    assert response.status_code == 400
    assert ItemListVersion.objects.filter(outlet=outlet).exclude(status="draft").count() == 5
    response = client.post(
        url,
        {
            "effective_date": "2026-12-06",
            "compared_with": "2",
            "confirm_scheduled": ["3", "4", "5"],
        },
    )
    assert response.status_code == 302
    assert codes_on(outlet, TODAY) == {i.code for i in registry["old"]} | {"MINE-01"}
    for day in (NEW_YEAR, datetime.date(2027, 2, 1), datetime.date(2027, 3, 1)):
        assert "MINE-01" in codes_on(outlet, day)


def test_the_admin_withdraws_scheduled_versions_through_the_service(client, registry):
    from django.urls import reverse

    from tests.factories import UserFactory

    outlet = registry["outlet"]
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    ids = dict(ItemListVersion.objects.filter(outlet=outlet).values_list("number", "pk"))
    response = client.post(
        reverse("admin:outlets_itemlistversion_changelist"),
        {"action": "withdraw", "_selected_action": [ids[2], ids[3]]},
        follow=True,
    )
    text = response.content.decode()
    assert "已撤回 1 个版本" in text  # v3
    assert "公众已经看到" in text  # v2 is in effect: refused, with the reason
    statuses = dict(ItemListVersion.objects.filter(outlet=outlet).values_list("number", "status"))
    assert statuses == {1: "published", 2: "published", 3: "withdrawn"}
    assert codes_on(outlet, NEW_YEAR) == {i.code for i in registry["old"]}
