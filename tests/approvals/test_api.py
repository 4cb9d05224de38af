"""The cases API: same rules and permissions as the pages, problem details on refusal."""

import base64

from approvals.models import Case, Status

from .factories import make_resident_id, make_uscc, material, put_on_list

PDF = b"%PDF-1.4\n%%EOF\n"


def create(client, world, **overrides):
    body = {
        "item": world.item.code,
        "applicant_kind": "person",
        "applicant_id_number": make_resident_id(1),
        "applicant_name": "王小明",
        "channel": "online",
        "accepting_point": world.shinan_hall.code,
        **overrides,
    }
    return client.post("/api/v1/cases/", body, content_type="application/json")


def test_citizen_applies_and_reads_own_case(world, client):
    licence = material(world.item, "场所证明")
    client.force_login(world.citizen)
    response = create(
        client,
        world,
        materials=[
            {
                "material": licence.pk,
                "kind": "file",
                "file_name": "证明.pdf",
                "content_base64": base64.b64encode(PDF).decode(),
            }
        ],
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted" and body["reference"].startswith("QD")
    assert body["applicant_id_number"].startswith("370") and "*" in body["applicant_id_number"]
    assert body["materials"][0]["kind"] == "file"
    assert body["actions"] == ["withdraw"]
    detail = client.get(f"/api/v1/cases/{body['reference']}/")
    assert detail.status_code == 200 and detail.json()["timeline"][0]["target"] == "submitted"
    listing = client.get("/api/v1/cases/").json()
    assert listing["count"] == 1 and listing["results"][0]["reference"] == body["reference"]

    client.force_login(world.other_citizen)
    assert client.get(f"/api/v1/cases/{body['reference']}/").status_code == 404
    assert client.get("/api/v1/cases/").json()["count"] == 0


def test_bad_input_is_a_400_problem_by_field(world, client):
    client.force_login(world.citizen)
    response = create(client, world, applicant_id_number="123")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "applicant_id_number" in response.json()["errors"]
    response = create(
        client, world, applicant_kind="company", applicant_id_number=make_uscc(1)[:-1] + "0"
    )
    assert response.status_code == 400


def test_bad_file_is_refused(world, client):
    licence = material(world.item, "场所证明")
    client.force_login(world.citizen)
    response = create(
        client,
        world,
        materials=[
            {
                "material": licence.pk,
                "kind": "file",
                "file_name": "x.exe",
                "content_base64": base64.b64encode(b"MZ").decode(),
            }
        ],
    )
    assert response.status_code == 400
    assert f"material_{licence.pk}" in response.json()["errors"]


def test_anonymous_is_refused(world, client):
    assert client.get("/api/v1/cases/").status_code == 403
    assert create(client, world).status_code == 403


def post_action(client, reference, action, body=None):
    return client.post(
        f"/api/v1/cases/{reference}/{action}/", body or {}, content_type="application/json"
    )


def test_actions_follow_the_same_permissions(world, client):
    put_on_list(world.item, "city_wide")
    client.force_login(world.citizen)
    reference = create(client, world, accepting_point=world.laoshan_hall.code).json()["reference"]

    # the citizen may not accept their own case
    response = client.post(
        f"/api/v1/cases/{reference}/accept/", {}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "forbidden"

    client.force_login(world.laoshan_staff)
    response = client.post(
        f"/api/v1/cases/{reference}/accept/", {"note": "材料齐全"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    assert "forward" in response.json()["actions"]
    # someone already accepted: a conflict, not a 500
    response = client.post(
        f"/api/v1/cases/{reference}/accept/", {}, content_type="application/json"
    )
    assert response.status_code == 409 and response.json()["code"] == "not_allowed_now"
    assert (
        client.post(
            f"/api/v1/cases/{reference}/forward/", {}, content_type="application/json"
        ).status_code
        == 200
    )

    client.force_login(world.dept_staff)
    assert (
        client.post(
            f"/api/v1/cases/{reference}/receive/", {}, content_type="application/json"
        ).status_code
        == 200
    )
    response = client.post(
        f"/api/v1/cases/{reference}/reject/", {}, content_type="application/json"
    )
    assert response.status_code == 400 and "reasons" in response.json()["errors"]
    response = client.post(
        f"/api/v1/cases/{reference}/reject/",
        {"reasons": "选址不符合规划"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "rejected" and body["reasons"] == "选址不符合规划"
    assert [h["to_department"]["code"] for h in body["hand_offs"]] == [world.shinan_dept.code]
    assert client.get("/api/v1/cases/", {"scope": "department"}).json()["count"] == 1
    assert (
        client.post(
            f"/api/v1/cases/{reference}/fly/", {}, content_type="application/json"
        ).status_code
        == 404
    )


def test_walk_in_over_the_api_only_by_point_staff_at_their_point(world, client):
    client.force_login(world.citizen)
    assert create(client, world, channel="service_hall").status_code == 403
    client.force_login(world.shinan_staff)
    assert (
        create(
            client, world, channel="service_hall", accepting_point=world.laoshan_hall.code
        ).status_code
        == 403
    )
    response = create(client, world, channel="service_hall")
    assert response.status_code == 201
    case = Case.objects.get(reference=response.json()["reference"])
    assert case.applicant_user is None and case.status == Status.SUBMITTED
    assert case.transitions.get().by_role == "point_staff"
