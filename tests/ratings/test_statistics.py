import pytest
from django.urls import reverse

from portal.ratings import selectors, services
from tests.factories import DepartmentFactory, ServiceItemFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated():
    """Department A: scores 5, 4, 1 on item X; department B: 3 on item Y."""
    a, b = DepartmentFactory(name="甲局"), DepartmentFactory(name="乙局")
    x = ServiceItemFactory(department=a, name="事项X")
    y = ServiceItemFactory(department=b, name="事项Y")
    user = UserFactory()
    for score in (5, 4, 1):
        subject = UserFactory()  # a distinct subject per rating
        services.rate(subject=subject, user=user, score=score, department=a, item=x)
    services.rate(subject=UserFactory(), user=user, score=3, department=b, item=y)
    return a, b, x, y


def test_statistics_by_department(rated):
    a, b, *_ = rated
    rows = {row["department_id"]: row for row in selectors.statistics_by_department()}
    assert rows[a.pk]["count"] == 3
    assert rows[a.pk]["average"] == pytest.approx(3.33, abs=0.01)
    assert rows[a.pk]["good"] == 2
    assert rows[a.pk]["bad"] == 1
    assert rows[a.pk]["good_share"] == pytest.approx(66.7)
    assert rows[a.pk]["bad_share"] == pytest.approx(33.3)
    assert rows[b.pk]["good_share"] == 0
    assert rows[b.pk]["average"] == 3


def test_statistics_by_item_and_overall(rated):
    *_, x, y = rated
    rows = {row["item_id"]: row for row in selectors.statistics_by_item()}
    assert rows[x.pk]["count"] == 3
    assert rows[y.pk]["count"] == 1
    overall = selectors.overall()
    assert overall["count"] == 4
    assert overall["average"] == pytest.approx(3.25)


def test_statistics_page(client, rated, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get(reverse("ratings:statistics"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "甲局" in text and "事项X" in text
    assert "66.7%" in text


def test_statistics_page_in_english_uses_english_names(client, rated):
    a, _, x, _ = rated
    response = client.get(reverse("ratings:statistics"), HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert a.name_en in text and x.name_en in text
    assert "By department" in text


def test_statistics_page_queries_do_not_grow(client, rated, django_assert_max_num_queries):
    _a, _, _x, _ = rated
    for _ in range(30):
        item = ServiceItemFactory(department=DepartmentFactory())
        services.rate(
            subject=UserFactory(),
            user=UserFactory(),
            score=4,
            department=item.department,
            item=item,
        )
    with django_assert_max_num_queries(6):
        client.get(reverse("ratings:statistics"))


def test_statistics_api(client, rated):
    response = client.get("/api/v1/ratings/statistics/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["name"] == "甲局"
    assert first["good_share"] == pytest.approx(66.7)
    response = client.get("/api/v1/ratings/statistics/?by=item")
    assert {row["name"] for row in response.json()["results"]} == {"事项X", "事项Y"}


def test_statistics_api_refuses_bad_parameters(client):
    assert client.get("/api/v1/ratings/statistics/?by=nothing").status_code == 400
    assert client.get("/api/v1/ratings/statistics/?since=2026-02-30").status_code == 400


def test_empty_statistics(client):
    response = client.get(reverse("ratings:statistics"))
    assert response.status_code == 200
    assert selectors.overall()["count"] == 0


@pytest.mark.parametrize("query", ["until=", "since=", "by="])
def test_statistics_api_refuses_blank_parameters(client, query):
    assert client.get(f"/api/v1/ratings/statistics/?{query}").status_code == 400


def test_statistics_api_date_range(client, rated):
    from portal.ratings.models import Rating

    Rating.objects.filter(score=1).update(created_at="2025-06-01T10:00:00+08:00")
    response = client.get("/api/v1/ratings/statistics/?since=2025-01-01&until=2025-12-31")
    assert [(r["count"], r["bad"]) for r in response.json()["results"]] == [(1, 1)]
    empty = client.get("/api/v1/ratings/statistics/?since=2026-05-02&until=2026-05-01")
    assert empty.status_code == 200
    assert empty.json()["count"] == 0
