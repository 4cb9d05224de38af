"""The staff worklist opens on the scope that has work and finds a case by number or name
(issue 14 point 4: the Yantai clerk's worklist opened on an empty department scope, and there
was no search box)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from approvals.models import PointStaff

from .factories import put_on_list
from .helpers import apply

pytestmark = pytest.mark.django_db


def test_a_clerk_whose_department_has_no_open_case_opens_on_the_points_cases(world, client):
    put_on_list(world.item, "city_wide")
    received = apply(world, point=world.laoshan_hall, channel="service_hall")
    clerk = world.laoshan_staff
    clerk.department = world.city_dept  # a department with nothing open, as Yantai's is
    clerk.role = world.dept_staff.role
    clerk.save()
    assert PointStaff.objects.filter(user=clerk, point=world.laoshan_hall).exists()
    client.force_login(clerk)
    page = client.get(reverse("approvals:staff_cases")).content.decode()
    assert received.reference in page
    assert 'value="point" selected' in page  # the form says which worklist this is


def test_staff_find_a_case_by_number_or_applicants_name(world, client):
    put_on_list(world.item, "city_wide")
    cases = [apply(world, point=world.shinan_hall, channel="service_hall") for _ in range(3)]
    client.force_login(world.shinan_staff)
    url = reverse("approvals:staff_cases")
    page = client.get(url, {"scope": "point", "q": cases[1].reference.lower()}).content.decode()
    assert cases[1].reference in page
    assert cases[0].reference not in page and cases[2].reference not in page
    by_name = client.get(url, {"scope": "point", "q": "小明"}).content.decode()
    assert all(case.reference in by_name for case in cases)
    nobody = client.get(url, {"scope": "point", "q": "张三丰"}).content.decode()
    assert not any(case.reference in nobody for case in cases)


def test_overdue_first_puts_every_overdue_case_before_the_rest_most_overdue_first(
    world, client, django_assert_max_num_queries
):
    """At the size of a busy department (300 open cases): the decided and paused cases, whose
    clocks stopped with an earlier deadline, came before overdue ones ("超期办件在前" showed an
    overdue case third). Every overdue case is first, by how overdue it is."""
    import datetime

    from django.utils import timezone

    from approvals.models import Case, Status

    put_on_list(world.item, "city_wide")
    template = apply(world, point=world.shinan_hall, channel="service_hall")
    today = timezone.localdate()
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Case._meta.concrete_fields
        if f.attname not in ("id", "reference")
    }
    # Per group of ten: one overdue under review, two stopped clocks with earlier deadlines
    # (approved, returned for correction), seven due in the future, in an interleaved order.
    plan = []
    for n in range(30):
        plan += [
            (Status.APPROVED, -60 - n),
            (Status.RETURNED_FOR_CORRECTION, -50 - n),
            (Status.UNDER_REVIEW, -n - 1),  # overdue by n+1 days
        ]
        plan += [(Status.UNDER_REVIEW, 1 + n + k) for k in range(7)]
    Case.objects.bulk_create(
        Case(
            **{**fields, "status": status, "due_on": today + datetime.timedelta(days=days)},
            reference=f"QDTEST{i:06d}",
        )
        for i, (status, days) in enumerate(plan)
    )
    client.force_login(world.dept_staff)
    url = reverse("approvals:staff_cases")
    with django_assert_max_num_queries(25):
        page = client.get(url, {"scope": "department", "status": "open"})
    rows = page.context["cases"]
    assert page.content.decode().count('badge-alert">') >= 25  # the first page: all overdue
    overdue = [case for case in rows if case.is_overdue]
    assert [case.reference for case in rows[: len(overdue)]] == [c.reference for c in overdue]
    assert len(overdue) == 25
    assert [c.due_on for c in overdue] == sorted(c.due_on for c in overdue)
    assert overdue[0].due_on == today - datetime.timedelta(days=30)
    page2 = client.get(url, {"scope": "department", "status": "open", "page": 2}).context["cases"]
    assert [c.is_overdue for c in page2[:5]] == [True] * 5
    assert not any(c.is_overdue for c in page2[5:])
    assert page2[5].status == Status.APPROVED  # then the rest by deadline


def _random_cases(world, rng, n: int) -> None:
    """``n`` cases of the department (some received at the Shinan hall) in every status, due
    dates around today, some undated, some flagged by the scans."""
    import datetime

    from django.utils import timezone

    from approvals.models import Case, Status

    put_on_list(world.item, "city_wide")
    template = apply(world, point=world.shinan_hall, channel="service_hall")
    today = timezone.localdate()
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Case._meta.concrete_fields
        if f.attname not in ("id", "reference")
    }
    points = [world.shinan_hall.pk, world.laoshan_hall.pk]
    rows = []
    for i in range(n):
        due = None if rng.random() < 0.15 else today + datetime.timedelta(days=rng.randint(-9, 9))
        rows.append(
            Case(
                **{
                    **fields,
                    "status": rng.choice(list(Status.values)),
                    "due_on": due,
                    "accepting_point_id": rng.choice(points),
                    "overdue": rng.random() < 0.4,
                    "materials_overdue_on": today if rng.random() < 0.3 else None,
                },
                reference=f"QDRAND{i:06d}",
            )
        )
    Case.objects.bulk_create(rows)


@pytest.mark.parametrize("seed", [1, 2])
def test_the_pages_are_the_sorted_worklist(world, seed):
    """The worklist's pages (each status's groups read in order from an index and merged,
    ADR 0122) list the same cases in the same order as the one sorted query, page after page,
    for both scopes and every filter."""
    import random

    from approvals.selectors import staff_cases, staff_cases_page

    rng = random.Random(seed)
    _random_cases(world, rng, 240)
    compared = 0
    PointStaff.objects.get_or_create(user=world.dept_staff, point=world.shinan_hall)
    for scope in ("department", "point"):
        for status in ("open", "all", "closed", "under_review", "submitted"):
            for flags in ({}, {"overdue_only": True}, {"materials_overdue_only": True}):
                filters = {"scope": scope, "status": status, **flags}
                expected = list(
                    staff_cases(world.dept_staff, **filters).values_list("pk", flat=True)
                )
                per_page = rng.choice([4, 9, 25])
                first = staff_cases_page(world.dept_staff, per_page=per_page, **filters)
                got = [case.pk for case in first.object_list]
                for number in range(2, first.paginator.num_pages + 1):
                    page = staff_cases_page(
                        world.dept_staff, per_page=per_page, number=number, **filters
                    )
                    got += [case.pk for case in page.object_list]
                assert first.paginator.count == len(expected), filters
                assert got == expected, filters
                compared += len(expected)
    assert compared > 500  # the filters found cases: the comparisons compared something


def test_a_later_page_makes_the_same_queries_as_the_first(
    world, client, django_assert_max_num_queries
):
    import random

    _random_cases(world, random.Random(3), 120)
    client.force_login(world.dept_staff)
    url = reverse("approvals:staff_cases")
    with django_assert_max_num_queries(9) as first:
        assert client.get(url, {"status": "all"}).status_code == 200
    with django_assert_max_num_queries(len(first.captured_queries)):
        later = client.get(url, {"status": "all", "page": 4})
    assert len(later.context["cases"]) == 25


def test_the_api_pages_are_the_sorted_worklist(world, client):
    """The cases API's staff scopes page through the same worklist, in the same order."""
    import random

    from approvals.selectors import staff_cases

    _random_cases(world, random.Random(4), 60)
    client.force_login(world.dept_staff)
    for status in ("", "open", "under_review"):
        expected = list(
            staff_cases(world.dept_staff, scope="department", status=status or "all").values_list(
                "reference", flat=True
            )
        )
        got, page = [], 1
        while True:
            body = client.get(
                "/api/v1/cases/",
                {"scope": "department", "status": status, "page_size": 7, "page": page},
            ).json()
            got += [row["reference"] for row in body["results"]]
            if not body["next"]:
                break
            page += 1
        assert body["count"] == len(expected) and got == expected, status
    assert len(expected) > 0
