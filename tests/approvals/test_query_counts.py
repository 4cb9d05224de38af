"""Pages and API calls run a fixed number of queries whatever the number of cases."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from approvals import services
from approvals.models import Case

from .factories import put_on_list
from .helpers import apply


def make_cases(world, n: int) -> list[Case]:
    put_on_list(world.item, "city_wide")
    cases = [apply(world, point=world.laoshan_hall) for _ in range(n)]
    return cases


def a_busy_case(world) -> Case:
    case = make_cases(world, 1)[0]
    for action, user in (
        ("accept", world.laoshan_staff),
        ("forward", world.laoshan_staff),
        ("receive", world.dept_staff),
        ("approve", world.dept_staff),
        ("issue_result", world.dept_staff),
        ("deliver", None),
        ("close", None),
    ):
        services.transition(case.pk, action, user=user)
    return case


@pytest.mark.parametrize("n", [3, 30])
def test_staff_list_query_count_is_fixed(world, client, django_assert_max_num_queries, n):
    make_cases(world, n)
    client.force_login(world.dept_staff)
    with django_assert_max_num_queries(9):
        response = client.get("/cases/staff/", {"status": "all"})
    assert response.status_code == 200
    assert response.content.decode().count("QD") >= min(n, 25)


@pytest.mark.parametrize("n", [3, 30])
def test_my_cases_query_count_is_fixed(world, client, django_assert_max_num_queries, n):
    make_cases(world, n)
    client.force_login(world.citizen)
    with django_assert_max_num_queries(8):
        assert client.get("/cases/").status_code == 200


def test_case_page_query_count(world, client, django_assert_max_num_queries):
    case = a_busy_case(world)
    client.force_login(world.dept_staff)
    with django_assert_max_num_queries(16):
        response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    client.force_login(world.citizen)
    with django_assert_max_num_queries(18):
        response = client.get(case.get_absolute_url())
    assert "rating" in response.content.decode()


@pytest.mark.parametrize("n", [3, 30])
def test_api_list_query_count_is_fixed(world, client, django_assert_max_num_queries, n):
    make_cases(world, n)
    client.force_login(world.dept_staff)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/cases/", {"scope": "department"})
    assert response.json()["count"] == n


def test_decision_pdf_of_a_closed_case_reads_the_log_it_already_has(
    world, client, django_assert_max_num_queries
):
    case = a_busy_case(world)  # approved, then closed
    client.force_login(world.citizen)
    # the first download issues it: the seal register's look-up and its insert (in a savepoint)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("approvals:decision", args=[case.reference]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "准予" in text and "不予" not in text
    # later downloads serve the issued file: one look-up in the register, no new signature
    with django_assert_max_num_queries(7):
        again = client.get(reverse("approvals:decision", args=[case.reference]))
    assert again.content == response.content
