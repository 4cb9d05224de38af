"""Nothing shown stale (issue 13, ADR 0099): public pages are served from the cache to visitors,
yet an edited item, a published outlet list and a decided case show on the very next request.

The changes are committed (their on-commit callbacks run), as in production."""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals.models import Status
from portal import pagecache
from tests.outlets.factories import ManagerFactory, OutletFactory, bind, publish_items

from .helpers import act, apply


def visit(url: str) -> tuple[str, int]:
    """A visitor's page (no session, no cookie) and the queries it cost."""
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode(), len(ctx.captured_queries)


def test_an_edited_item_shows_at_once(world, django_capture_on_commit_callbacks):
    url = reverse("catalogue:item_detail", args=[world.item.code])
    page, _ = visit(url)
    assert world.item.name in page
    assert visit(url)[1] == 0  # the second view comes from the cache
    with django_capture_on_commit_callbacks(execute=True):
        world.item.name = "食品经营许可（已更名）"
        world.item.save()
    page, cost = visit(url)
    assert "食品经营许可（已更名）" in page and cost > 0
    listing, _ = visit(reverse("catalogue:item_list") + "?q=已更名")
    # the row is the service's (ADR 0121) and shows the implementation's new name
    assert "食品经营许可（已更名）" in listing


def test_a_published_outlet_list_shows_at_once(world, django_capture_on_commit_callbacks):
    outlet = OutletFactory(code="QD-STALE-1", name="测试网点")
    manager = ManagerFactory(username="stale_manager")
    bind(manager, outlet)
    today = datetime.date.today()
    publish_items(outlet, [], user=manager, effective=today - datetime.timedelta(days=30))
    page_url = reverse("outlets:outlet_detail", args=[outlet.code])
    api_url = f"/api/v1/outlets/?item={world.item.code}"
    assert world.item.name not in visit(page_url)[0]
    assert outlet.code not in visit(api_url)[0]
    assert visit(page_url)[1] == 0 and visit(api_url)[1] == 0  # cached
    with django_capture_on_commit_callbacks(execute=True):
        publish_items(outlet, [world.item], user=manager, effective=today)
    assert world.item.name in visit(page_url)[0]
    assert outlet.code in visit(api_url)[0]


def test_a_decided_case_shows_at_once(world, client, django_capture_on_commit_callbacks):
    case = apply(world, point=world.shinan_hall)
    act(case, "accept", world.shinan_staff)
    act(case, "start_review", world.dept_staff)
    client.force_login(world.citizen)
    before = client.get(case.get_absolute_url()).content.decode()
    assert str(Status.UNDER_REVIEW.label) in before
    visit(reverse("catalogue:item_detail", args=[world.item.code]))  # a cached public page
    with django_capture_on_commit_callbacks(execute=True):
        act(case, "approve", world.dept_staff)
    case.refresh_from_db()
    assert case.status != Status.UNDER_REVIEW
    decided = str(case.get_status_display())
    assert decided not in before
    assert decided in client.get(case.get_absolute_url()).content.decode()
    staff = Client()
    staff.force_login(world.dept_staff)
    worklist = staff.get(reverse("approvals:staff_cases") + "?status=all").content.decode()
    assert case.reference in worklist


def test_the_version_moves_again_after_commit(world):
    """A page rendered by another process from the rows before the commit, but under the version
    bumped when the row was saved, is never served: the version moves again on commit."""
    before = pagecache.data_version()
    with transaction.atomic():
        world.item.name = "改名"
        world.item.save()
        during = pagecache.data_version()
        assert during != before
        world.item.save()  # one more bump now, still one on commit
        mine = [c for _s, c, _r in connection.run_on_commit if hasattr(c, "pagecache_app")]
        assert len(mine) == 1
    # pytest's test transaction holds the commit back; run what the commit would run
    for _sids, callback, _robust in connection.run_on_commit:
        callback()
    assert pagecache.data_version() not in (before, during)


def test_a_decided_case_leaves_the_worklist_at_once_with_the_count(world, client):
    """The staff worklist (read in index order, ADR 0122) counts and lists what is there now:
    after a decision the case leaves the "under review" list and its count, and is on the
    "approved" list."""
    case = apply(world, point=world.shinan_hall)
    act(case, "accept", world.shinan_staff)
    act(case, "start_review", world.dept_staff)
    client.force_login(world.dept_staff)
    url = reverse("approvals:staff_cases")
    reviewing = client.get(url, {"scope": "department", "status": "under_review"})
    assert reviewing.context["page_obj"].paginator.count == 1
    assert case.reference in reviewing.content.decode()
    act(case, "approve", world.dept_staff)
    reviewing = client.get(url, {"scope": "department", "status": "under_review"})
    assert reviewing.context["page_obj"].paginator.count == 0
    assert case.reference not in reviewing.content.decode()
    approved = client.get(url, {"scope": "department", "status": "approved"})
    assert approved.context["page_obj"].paginator.count == 1
    assert case.reference in approved.content.decode()
