"""The staff case worklist is kept whole per viewer under the versions the database keeps for
its scope (ADR 0123). What a clerk must never see: a page older than the cases (a workflow step,
a bulk UPDATE of the daily scan, a renamed acceptance point), another clerk's header, a flash
message swallowed, or a page after their access was taken away."""

from __future__ import annotations

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from approvals import worklist_version
from approvals.models import Case, Status
from portal.accounts.models import Role

from .factories import department_staff, put_on_list
from .helpers import act, apply

pytestmark = pytest.mark.django_db

URL = reverse("approvals:staff_cases")


def view(client: Client, **query) -> tuple[str, int]:
    """The worklist page and the queries it cost."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, query)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


@pytest.fixture
def reviewer(world, client):
    put_on_list(world.item, "city_wide")
    client.force_login(world.dept_staff)
    return client


def test_the_second_view_is_kept_and_costs_the_same_few_queries_at_any_size(world, reviewer):
    apply(world, point=world.shinan_hall)
    page, rendered = view(reviewer)
    again, kept = view(reviewer)
    assert again == page.replace(_token(page), _token(again))  # the same page
    assert kept < rendered
    for _ in range(20):
        apply(world, point=world.shinan_hall)
    view(reviewer)  # the cases changed: rendered again, then kept
    assert view(reviewer)[1] == kept


def _token(page: str) -> str:
    """The CSRF token in the header's sign-out form (each answer masks it anew)."""
    marker = 'name="csrfmiddlewaretoken" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def _row(page: str, reference: str) -> str:
    start = page.index(f">{reference}</a>")
    return page[start : page.index("</tr>", start)]


def test_a_decision_shows_on_the_next_view(world, reviewer):
    case = apply(world, point=world.shinan_hall)
    act(case, "accept", world.shinan_staff)
    act(case, "start_review", world.dept_staff)
    before = _row(view(reviewer)[0], case.reference)
    view(reviewer)  # kept
    act(case, "approve", world.dept_staff)
    after = _row(view(reviewer)[0], case.reference)
    assert after != before and "准予许可" in after and "准予许可" not in before


def test_a_bulk_update_without_signals_shows_on_the_next_view(world, reviewer):
    case = apply(world, point=world.shinan_hall)
    assert "王小明" in view(reviewer)[0]
    view(reviewer)
    # as the daily scans write: one UPDATE statement, no signal; the trigger raises the number
    Case.objects.filter(pk=case.pk).update(applicant_name="李晓红")
    page = view(reviewer)[0]
    assert "李晓红" in page and "王小明" not in page


def test_a_renamed_acceptance_point_shows_on_every_worklist(world, reviewer):
    apply(world, point=world.shinan_hall)
    view(reviewer)
    assert "市南区改名大厅" not in view(reviewer)[0]
    world.shinan_hall.name = "市南区改名大厅"
    world.shinan_hall.save()
    assert "市南区改名大厅" in view(reviewer)[0]


def test_each_clerk_gets_their_own_header(world, reviewer):
    apply(world, point=world.shinan_hall)
    colleague = department_staff(world.shinan_dept, "shinan_reviewer_2")
    colleague.real_name = "赵敏"
    colleague.save()
    mine = view(reviewer)[0]
    other = Client()
    other.force_login(colleague)
    theirs = view(other)[0]
    assert "赵敏" in theirs and "赵敏" not in mine
    assert "赵敏" not in view(reviewer)[0]


def test_a_flash_message_is_shown_not_a_kept_page(world, reviewer):
    apply(world, point=world.shinan_hall)
    view(reviewer)
    storage = CookieStorage(RequestFactory().get("/"))
    reviewer.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "材料已补齐")])
    assert "材料已补齐" in view(reviewer)[0]


def test_access_is_decided_on_every_request(world, reviewer):
    apply(world, point=world.shinan_hall)
    view(reviewer)
    view(reviewer)  # kept
    world.dept_staff.role = Role.CITIZEN
    world.dept_staff.department = None
    world.dept_staff.save()
    assert reviewer.get(URL).status_code == 403


def test_each_statement_raises_the_scopes_it_wrote_once(world):
    put_on_list(world.item, "city_wide")
    shinan = apply(world, point=world.shinan_hall)
    laoshan = apply(world, point=world.laoshan_hall)

    def numbers():
        return (
            worklist_version.numbers(
                department_id=world.shinan_dept.pk, point_id=world.shinan_hall.pk
            ),
            worklist_version.numbers(department_id=None, point_id=world.laoshan_hall.pk),
        )

    before = numbers()
    Case.objects.filter(pk=laoshan.pk).update(status=Status.SUBMITTED)
    after_laoshan = numbers()
    # the department and Laoshan's point moved; Shinan's point did not
    assert after_laoshan[0][1] != before[0][1] and after_laoshan[0][2] == before[0][2]
    assert after_laoshan[1][2] != before[1][2]
    Case.objects.filter(pk=shinan.pk).delete()
    assert numbers()[0][2] != after_laoshan[0][2]


def test_a_new_message_shows_in_the_header_on_the_next_view(world, reviewer):
    from portal.notifications import services as notices

    apply(world, point=world.shinan_hall)
    view(reviewer)
    assert "count-badge" not in view(reviewer)[0]
    notices.send_bulk(
        notices.to_staff(
            [world.dept_staff], subject="新办件待审", body="请审查。", key="worklist-cache-test"
        )
    )
    assert 'class="count-badge"' in view(reviewer)[0]
