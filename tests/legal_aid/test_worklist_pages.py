"""The worklist's pages (read branch by branch from ordered indexes, ADR 0100) list the same
applications in the same order as the one sorted queryset, page after page, for centre staff,
a bureau officer and an administrator, every state filter and the overdue filter."""

from __future__ import annotations

import random

import pytest

from legal_aid.models import Centre, LegalAidApplication
from legal_aid.selectors import worklist, worklist_page
from tests.factories import UserFactory

from .test_statistics_rollup import _random_applications

pytestmark = pytest.mark.django_db


def _pages(user, per_page: int, **filters) -> tuple[list[int], int]:
    first = worklist_page(user, per_page=per_page, **filters)
    ids = [app.pk for app in first.object_list]
    for number in range(2, first.paginator.num_pages + 1):
        page = worklist_page(user, per_page=per_page, number=number, **filters)
        ids += [app.pk for app in page.object_list]
    return ids, first.paginator.count


@pytest.mark.parametrize("seed", [5, 6])
def test_the_pages_are_the_sorted_worklist(seed, laixi_staff, laixi_bureau):
    rng = random.Random(seed)
    _random_applications(rng, 300, [])
    laixi = Centre.objects.get(code="LA370285")
    centres = list(Centre.objects.values_list("pk", flat=True))
    apps = list(LegalAidApplication.objects.all())
    for app in rng.sample(apps, 120):  # handed in at a centre (often Laixi), then forwarded
        app.accepting_centre_id = laixi.pk if rng.random() < 0.5 else rng.choice(centres)
    for app in rng.sample(apps, 5):  # the staff member's own applications, elsewhere
        app.applicant = laixi_staff
    LegalAidApplication.objects.bulk_update(apps, ["accepting_centre", "applicant"])
    admin = UserFactory(username="worklist_admin", role="administrator")
    for user in (laixi_staff, laixi_bureau, admin):
        for state in ("", "all", "closed", "submitted"):
            for overdue in (False, True):
                filters = {"state": state, "overdue": overdue}
                expected = list(worklist(user, **filters).values_list("pk", flat=True))
                got, count = _pages(user, rng.choice([4, 7, 25]), **filters)
                assert count == len(expected), (user, filters)
                assert got == expected, (user, filters)
    assert worklist_page(laixi_staff, state="all").paginator.count > 0


def test_a_page_makes_the_same_queries_whatever_its_number(
    laixi_staff, django_assert_max_num_queries
):
    _random_applications(random.Random(9), 200, [])
    # the binding, the user's lawyer record (a lawyer sees the cases offered to them; issue 18),
    # the statistics' version (the cache's key, ADR 0122), the count, the overdue rows, the
    # others, the rows of the page
    with django_assert_max_num_queries(7) as first:
        list(worklist_page(laixi_staff, state="all", per_page=5).object_list)
    with django_assert_max_num_queries(len(first.captured_queries)):
        list(worklist_page(laixi_staff, state="all", per_page=5, number=6).object_list)
