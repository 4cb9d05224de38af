"""The legal-aid worklist keeps its count and page order in the cache under the statistics'
version (ADR 0122), and the whole page per viewer under the same version (ADR 0123); a new
application, a workflow step or a bulk UPDATE shows on the very next view, with the count
right."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from legal_aid.models import LegalAidApplication, State
from legal_aid.services import take

from . import factories as f

pytestmark = pytest.mark.django_db


def _view(client, **filters):
    """The count the page says and the page (a kept page has no template context)."""
    response = client.get(reverse("legal_aid:worklist"), filters)
    assert response.status_code == 200
    page = response.content.decode()
    said = re.search(r"<p>(\d+)件申请</p>", page)
    assert said, "the page says how many applications it lists"
    return int(said.group(1)), page


def test_a_change_shows_on_the_next_view_with_the_count(
    client, citizen, laixi_staff, django_assert_max_num_queries
):
    first = f.submit(citizen, phone="13969000001")
    client.force_login(laixi_staff)
    count, page = _view(client)
    assert count == 1 and first.reference in page
    with django_assert_max_num_queries(9) as cached:  # the second view reads the cache
        assert _view(client)[0] == 1
    assert not any("COUNT(" in q["sql"] for q in cached.captured_queries if "legal_aid" in q["sql"])
    second = f.submit(citizen, phone="13969000002")  # a new application
    count, page = _view(client)
    assert count == 2 and second.reference in page and first.reference in page
    take(second.reference, "start_review", laixi_staff)  # a workflow step
    assert _view(client, state=State.UNDER_REVIEW)[0] == 1
    assert _view(client, state=State.SUBMITTED)[0] == 1
    # a bulk UPDATE (no signal): the database's trigger moves the version all the same
    LegalAidApplication.objects.filter(pk=first.pk).update(state=State.UNDER_REVIEW)
    count, page = _view(client, state=State.UNDER_REVIEW)
    assert count == 2 and first.reference in page
    assert _view(client, state=State.SUBMITTED)[0] == 0


def test_another_centres_staff_do_not_get_the_cached_page(client, citizen, laixi_staff):
    app = f.submit(citizen, phone="13969000003")
    client.force_login(laixi_staff)
    assert _view(client)[0] == 1
    other = f.staff_user("370202")  # Shinan: not competent, did not accept it
    client.force_login(other)
    count, page = _view(client)
    assert count == 0 and app.reference not in page
