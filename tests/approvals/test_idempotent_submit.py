"""One application form, one case: posted twice, from two tabs, over the API with the same
Idempotency-Key (issue 11). Two posts at once: tests/approvals/test_concurrency.py."""

from django.urls import reverse

from approvals.models import Case
from portal.workflow.models import WorkflowLog

from .factories import make_resident_id


def form_data(world, token, **extra):
    return {
        "submission_token": token,
        "applicant_kind": "person",
        "applicant_name": "王小明",
        "applicant_id_number": make_resident_id(1),
        "accepting_point": world.shinan_hall.pk,
        **extra,
    }


def token_of(response) -> str:
    return response.context["submission_token"]


def test_the_same_form_posted_twice_makes_one_case(world, client):
    client.force_login(world.citizen)
    url = reverse("approvals:apply", args=[world.item.code])
    token = token_of(client.get(url))
    first = client.post(url, form_data(world, token))
    second = client.post(url, form_data(world, token))
    assert Case.objects.count() == 1
    case = Case.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == case.get_absolute_url()
    assert WorkflowLog.objects.filter(case=case).count() == 1


def test_two_tabs_of_the_same_form_make_one_case(world, client):
    client.force_login(world.citizen)
    url = reverse("approvals:apply", args=[world.item.code])
    tab_one, tab_two = token_of(client.get(url)), token_of(client.get(url))
    assert tab_one == tab_two
    client.post(url, form_data(world, tab_one))
    response = client.post(url, form_data(world, tab_two), follow=True)
    assert Case.objects.count() == 1
    assert "nothing new was recorded" in response.content.decode() or "已提交" in (
        response.content.decode()
    )
    # A new form (opened after the first was submitted) makes a new application.
    fresh = token_of(client.get(url))
    assert fresh != tab_one
    client.post(url, form_data(world, fresh))
    assert Case.objects.count() == 2


def test_another_user_with_the_same_token_gets_their_own_case(world, client):
    url = reverse("approvals:apply", args=[world.item.code])
    client.force_login(world.citizen)
    token = token_of(client.get(url))
    client.post(url, form_data(world, token))
    client.force_login(world.other_citizen)
    client.post(url, form_data(world, token))
    assert Case.objects.count() == 2
    assert Case.objects.filter(applicant_user=world.other_citizen).count() == 1


def test_a_walk_in_form_posted_twice_records_one_case(world, client):
    client.force_login(world.shinan_staff)
    url = reverse("approvals:walk_in") + f"?item={world.item.code}"
    page = client.get(url)
    assert page.status_code == 200
    token = token_of(page)
    data = form_data(world, token)
    data.pop("accepting_point")
    client.post(url, data)
    client.post(url, data)
    assert Case.objects.count() == 1


def test_the_api_with_the_same_idempotency_key_makes_one_case(world, client):
    client.force_login(world.citizen)
    body = {
        "item": world.item.code,
        "applicant_kind": "person",
        "applicant_name": "王小明",
        "applicant_id_number": make_resident_id(1),
        "accepting_point": world.shinan_hall.code,
        "channel": "online",
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": "order-1"}
    first = client.post("/api/v1/cases/", body, content_type="application/json", **headers)
    second = client.post("/api/v1/cases/", body, content_type="application/json", **headers)
    assert first.status_code == second.status_code == 201, first.content
    assert first.json()["reference"] == second.json()["reference"]
    assert Case.objects.count() == 1
    other = client.post("/api/v1/cases/", body, content_type="application/json")
    assert other.status_code == 201
    assert Case.objects.count() == 2


def test_the_service_returns_the_first_case_for_a_known_key(world):
    from .helpers import apply

    first = apply(world, point=world.shinan_hall, submission_key="k" * 64)
    again = apply(world, point=world.shinan_hall, submission_key="k" * 64)
    assert again.pk == first.pk and again.resubmitted
    assert not getattr(first, "resubmitted", False)
    assert Case.objects.count() == 1
