"""The API as the issue lists it, with the same permissions as the pages and problem details."""

import pytest

from legal_aid.models import State
from tests.factories import make_resident_id

from . import factories as f

pytestmark = pytest.mark.django_db

BASE = "/api/v1/legal-aid"


def _payload(**overrides):
    data = {
        "applicant_name": "王建国",
        "resident_id": make_resident_id(1, "370202", "19800101"),
        "phone": "13969001234",
        "residence": "370202",
        "matter_type": "litigation",
        "category": "labour",
        "body": "C370285",
        "facts": "拖欠工资两万元",
        "exemption": "migrant_worker_wages",
        "commitment": True,
    }
    data.update(overrides)
    return data


def test_centres(client):
    data = client.get(f"{BASE}/centres/", {"page_size": 100}).json()
    assert data["count"] == 21
    kinds = {row["kind"] for row in data["results"]}
    assert kinds == {"centre", "branch"}
    laixi = next(r for r in data["results"] if r["code"] == "LA370285")
    assert laixi["name"] == "莱西市法律援助中心" and laixi["region"] == "370285"


def test_bodies(client):
    data = client.get(f"{BASE}/bodies/", {"page_size": 100}).json()
    kinds = {row["kind"] for row in data["results"]}
    assert {
        "intermediate_court",
        "maritime_court",
        "basic_court",
        "arbitration",
        "mediation",
    } <= kinds
    courts = client.get(f"{BASE}/bodies/", {"kind": "basic_court"}).json()
    assert courts["count"] == 10


def test_routing_by_body_and_by_place(client):
    by_body = client.get(f"{BASE}/routing/", {"body": "C370285"}).json()
    assert by_body["competent_centre"]["code"] == "LA370285"
    assert "莱西市人民法院" in by_body["reason"]
    by_place = client.get(f"{BASE}/routing/", {"place": "370214"}).json()
    assert by_place["competent_centre"]["code"] == "LA370214"
    assert by_place["matter_type"] == "non_litigation"
    maritime = client.get(f"{BASE}/routing/", {"body": "CMAR370200"}).json()
    assert maritime["competent_centre"]["code"] == "LA370200"


@pytest.mark.parametrize("params", [{}, {"body": "NOPE"}, {"place": "999999"}, {"place": "370600"}])
def test_routing_errors_are_problem_details(client, params):
    response = client.get(f"{BASE}/routing/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"]


def test_create_and_read_an_application(client, citizen):
    client.force_login(citizen)
    response = client.post(f"{BASE}/applications/", _payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["competent_centre"]["code"] == "LA370285"
    assert "莱西市人民法院" in data["routing_reason"]
    assert data["state"] == "submitted"
    detail = client.get(f"{BASE}/applications/{data['reference']}/").json()
    assert detail["competent_centre"]["name"] == "莱西市法律援助中心"
    assert detail["routing_reason"] == data["routing_reason"]
    assert detail["available_actions"] == ["withdraw"]


def test_a_bad_application_is_refused_field_by_field(client, citizen):
    client.force_login(citizen)
    response = client.post(
        f"{BASE}/applications/",
        _payload(resident_id="123", commitment=False, body=""),
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert "resident_id" in body["errors"]


def test_without_the_commitment_it_is_refused(client, citizen):
    client.force_login(citizen)
    response = client.post(
        f"{BASE}/applications/", _payload(commitment=False), content_type="application/json"
    )
    assert response.status_code == 400
    assert "commitment" in response.json()["errors"]


def test_anonymous_cannot_apply(client):
    response = client.post(f"{BASE}/applications/", _payload(), content_type="application/json")
    assert response.status_code in (401, 403)


def test_transitions_as_actions(client, citizen, laixi_staff, laixi_lawyer):
    app = f.submit(citizen)
    client.force_login(laixi_staff)
    url = f"{BASE}/applications/{app.reference}"
    assert (
        client.post(f"{url}/start_review/", {}, content_type="application/json").json()["state"]
        == "under_review"
    )
    response = client.post(
        f"{url}/request_materials/",
        {"items": ["劳动合同", "工资条"]},
        content_type="application/json",
    )
    assert response.json()["materials_request"] == ["劳动合同", "工资条"]
    client.force_login(citizen)
    assert (
        client.post(
            f"{url}/supply_materials/",
            {"note": "已补充，见窗口提交"},
            content_type="application/json",
        ).json()["state"]
        == "under_review"
    )
    client.force_login(laixi_staff)
    client.post(f"{url}/grant/", {"reasons": "符合条件"}, content_type="application/json")
    data = client.post(
        f"{url}/assign_lawyer/", {"lawyer": laixi_lawyer.pk}, content_type="application/json"
    ).json()
    assert data["state"] == State.LAWYER_ASSIGNED and data["lawyer"] == laixi_lawyer.name


def test_a_state_conflict_is_409(client, citizen, laixi_staff):
    app = f.submit(citizen)
    client.force_login(laixi_staff)
    response = client.post(
        f"{BASE}/applications/{app.reference}/close/",
        {"outcome": "won"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "state_changed"


def test_a_step_that_is_not_yours_is_403(client, citizen, laixi_staff):
    app = f.submit(citizen)
    client.force_login(citizen)
    response = client.post(
        f"{BASE}/applications/{app.reference}/start_review/", {}, content_type="application/json"
    )
    assert response.status_code == 403


def test_an_unknown_action_is_404(client, citizen, laixi_staff):
    app = f.submit(citizen)
    client.force_login(laixi_staff)
    response = client.post(
        f"{BASE}/applications/{app.reference}/explode/", {}, content_type="application/json"
    )
    assert response.status_code == 404


def test_bad_action_input_is_400(client, citizen, laixi_staff):
    app = f.submit(citizen)
    client.force_login(laixi_staff)
    client.post(
        f"{BASE}/applications/{app.reference}/start_review/", {}, content_type="application/json"
    )
    response = client.post(
        f"{BASE}/applications/{app.reference}/refuse/",
        {"reasons": ""},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "reasons" in response.json()["errors"]


def test_statistics_in_the_viewers_scope(client, citizen, laixi_staff, shinan_staff, laixi_bureau):
    """A centre's staff read their centre's figures (they were refused before: issue 11), the
    bureau its centres', nobody else any; a citizen is refused."""
    f.submit(citizen)
    client.force_login(citizen)
    assert client.get(f"{BASE}/statistics/").status_code == 403
    client.force_login(laixi_staff)
    assert client.get(f"{BASE}/statistics/").json()["totals"]["applications"] == 1
    client.force_login(shinan_staff)
    assert client.get(f"{BASE}/statistics/").json()["totals"]["applications"] == 0
    client.force_login(laixi_bureau)
    data = client.get(f"{BASE}/statistics/").json()
    assert data["totals"]["applications"] == 1
    assert client.get(f"{BASE}/statistics/", {"date_from": "nope"}).status_code == 400
