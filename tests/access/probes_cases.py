"""Probes for cases (approvals): the case page, API, admin, PDFs and uploaded materials; the
acceptance points and the staff bindings to them (issue 11: ``yantai_staff`` read and changed a
Qingdao citizen's case in the admin; ``housing_staff`` bound itself to another point's staff).

The records, found in the demo by what they are (the demo's references depend on the day):

- the citizen's case: the demo citizen's online application decided by ``case_staff``'s
  department (370200-SPJ), with an uploaded file; ``case_staff`` (pnt) works it, ``yantai_staff``
  (ypnt) and ``housing_staff`` (dept) do not;
- the point's case: a walk-in received at QD-CITY-HALL, ``case_staff``'s point, for a district
  department (370202-SPJ): ``case_staff`` works it through the PointStaff binding alone.
"""

from __future__ import annotations

from approvals.models import AcceptancePoint, Case, CaseMaterial, HandOff, PointStaff, Status
from portal.accounts.models import User

from .probes import admin_list, answered, probe

CITY_HALL = "QD-CITY-HALL"


def citizen_case(world) -> Case:
    """The demo citizen's case of case_staff's department, accepted, with an uploaded file."""

    def find():
        return (
            Case.objects.filter(
                applicant_user__username="citizen",
                department__code="370200-SPJ",
                accepted_on__isnull=False,
                status=Status.CLOSED,
                materials__kind="file",
            )
            .order_by("reference")
            .first()
        )

    case = world.record("citizen_case", find)
    assert case is not None, "the demo has no closed case of the citizen at 370200-SPJ"
    return case


def point_case(world) -> Case:
    """An accepted walk-in at QD-CITY-HALL for a district's department (forwarded next)."""

    def find():
        return (
            Case.objects.filter(
                accepting_point__code=CITY_HALL,
                department__code="370202-SPJ",
                status=Status.ACCEPTED,
            )
            .order_by("reference")
            .first()
        )

    case = world.record("point_case", find)
    assert case is not None, "the demo has no accepted case at QD-CITY-HALL for 370202-SPJ"
    return case


def material_of(case: Case) -> CaseMaterial:
    return CaseMaterial.objects.filter(case=case, kind="file").exclude(file="").order_by("pk")[0]


# ----- the case ------------------------------------------------------------------------------


@probe("case", "page")
def case_page(world, actor):
    case = citizen_case(world)
    response = world.client(actor).get(f"/cases/{case.reference}/")
    return answered(response) and case.reference in response.content.decode()


@probe("case", "api")
def case_api(world, actor):
    case = citizen_case(world)
    response = world.client(actor).get(f"/api/v1/cases/{case.reference}/")
    return answered(response) and response.json()["reference"] == case.reference


@probe("case", "admin_list")
def case_admin_list(world, actor):
    """The finding: yantai_staff found a Qingdao citizen's case in the admin's list."""
    case = citizen_case(world)
    # (The search box repeats the reference: look for the row's link.)
    row = f"/admin/approvals/case/{case.pk}/change/"
    return admin_list(world, actor, f"/admin/approvals/case/?q={case.reference}", row)


@probe("case", "admin_change")
def case_admin_change(world, actor):
    """The finding: yantai_staff changed the applicant's name in the admin."""
    case = citizen_case(world)
    url = f"/admin/approvals/case/{case.pk}/change/"
    client = world.client(actor)
    form = client.get(url)
    # (A case the actor may not see: the admin redirects to its index, "does not exist".)
    if form.status_code == 200 and case.applicant_id_number in form.content.decode():
        # The full identity number: only for the staff who work the case and superusers.
        assert actor in ("pnt", "supr"), f"{actor} was shown the full identity number"
    response = client.post(
        url,
        {
            "applicant_kind": case.applicant_kind,
            "applicant_name": "改过的名字",
            "applicant_id_number": case.applicant_id_number,
            "applicant_mobile": case.applicant_mobile,
            "applicant_user": case.applicant_user_id or "",
            "item": case.item_id,
            "channel": case.channel,
            "accepting_point": case.accepting_point_id,
            "department": case.department_id,
            "reasons": case.reasons,
            "delivery": "{}",
            "note": case.note,
            **_empty_inlines(),
        },
    )
    changed = Case.objects.get(pk=case.pk).applicant_name == "改过的名字"
    if not changed:
        assert response.status_code != 302 or "/login/" in response.get("Location", ""), (
            f"{actor}: the admin said saved, but the name did not change"
        )
        answered(response, allowed=(200,))
        if response.status_code == 200:
            assert actor in ("supr",), f"{actor} got the form to change a case"
    return changed


def _empty_inlines() -> dict[str, str]:
    data = {}
    for prefix in ("materials", "hand_offs", "workflow-workflowlog-content_type-object_id"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    return data


@probe("case", "admin_action")
def case_admin_delete(world, actor):
    """Delete the case with the admin's bulk action: nobody may (the record is kept)."""
    case = citizen_case(world)
    response = world.client(actor).post(
        "/admin/approvals/case/",
        {"action": "delete_selected", "_selected_action": [case.pk], "post": "yes"},
    )
    if not Case.objects.filter(pk=case.pk).exists():
        return True
    answered(response, allowed=(200, 302))
    return False


@probe("case", "pdf")
def case_pdfs(world, actor):
    """The acceptance notice and the decision (both, or neither)."""
    case = citizen_case(world)
    client = world.client(actor)
    notice = answered(client.get(f"/cases/{case.reference}/acceptance-notice.pdf"))
    decision = answered(client.get(f"/cases/{case.reference}/decision.pdf"))
    assert notice == decision, f"{actor}: notice {notice}, decision {decision}"
    return notice


@probe("case", "worklist")
def case_in_lists(world, actor):
    """Is the case in one of the actor's lists over the API (their cases, their point's, their
    department's: the selectors the worklist pages use too)?"""
    case = citizen_case(world)
    client = world.client(actor)
    found = []
    for scope in ("mine", "point", "department"):
        response = client.get(
            "/api/v1/cases/", {"scope": scope, "status": case.status, "page_size": 100}
        )
        if answered(response):
            body = response.json()
            pages = [body]
            while body.get("next"):
                body = client.get(body["next"]).json()
                pages.append(body)
            found.append(any(case.reference == c["reference"] for p in pages for c in p["results"]))
    return any(found)


# ----- a case worked through the point binding alone ------------------------------------------


@probe("case_of_point", "page")
def point_case_page(world, actor):
    case = point_case(world)
    response = world.client(actor).get(f"/cases/{case.reference}/")
    return answered(response) and case.reference in response.content.decode()


@probe("case_of_point", "api_action")
def point_case_forward(world, actor):
    """Work the point's case: forward it to the district's department (point staff only)."""
    case = point_case(world)
    response = world.client(actor).post(f"/api/v1/cases/{case.reference}/forward/", {})
    forwarded = Case.objects.get(pk=case.pk).status == Status.FORWARDED
    if forwarded:
        return True
    assert not HandOff.objects.filter(case=case).exists()
    return answered(response)


# ----- uploaded material ---------------------------------------------------------------------


@probe("material", "page")
def material_download(world, actor):
    case = citizen_case(world)
    material = material_of(case)
    response = world.client(actor).get(f"/cases/{case.reference}/materials/{material.pk}/")
    return answered(response)


@probe("material", "api")
def material_in_api(world, actor):
    """The case's materials as the API lists them (names, sizes; no content)."""
    case = citizen_case(world)
    material = material_of(case)
    response = world.client(actor).get(f"/api/v1/cases/{case.reference}/")
    return answered(response) and any(m["id"] == material.pk for m in response.json()["materials"])


# ----- reference data and bindings -----------------------------------------------------------


def _point_form(point: AcceptancePoint, name: str, extra_user: User | None = None) -> dict:
    """The acceptance point's change form as the admin posts it, with its staff inline (and one
    more binding row for ``extra_user``)."""
    bindings = list(PointStaff.objects.filter(point=point))
    rows = [(b.pk, b.user_id) for b in bindings] + ([("", extra_user.pk)] if extra_user else [])
    data = {
        "code": point.code,
        "name": name,
        "name_en": point.name_en,
        "region": point.region_id,
        "kind": point.kind,
        "department": point.department_id or "",
        "address": point.address,
        "phone": point.phone,
        "is_active": "on",
        "staff-TOTAL_FORMS": str(len(rows)),
        "staff-INITIAL_FORMS": str(len(bindings)),
        "staff-MIN_NUM_FORMS": "0",
        "staff-MAX_NUM_FORMS": "1000",
    }
    for index, (pk, user_id) in enumerate(rows):
        data[f"staff-{index}-id"] = pk
        data[f"staff-{index}-point"] = point.pk
        data[f"staff-{index}-user"] = user_id
    return data


@probe("acceptance_point", "admin_change")
def acceptance_point_admin_change(world, actor):
    point = AcceptancePoint.objects.get(code=CITY_HALL)
    url = f"/admin/approvals/acceptancepoint/{point.pk}/change/"
    response = world.client(actor).post(url, _point_form(point, "改名的大厅"))
    changed = AcceptancePoint.objects.get(pk=point.pk).name == "改名的大厅"
    if not changed:
        answered(response)
    return changed


@probe("point_staff", "admin_inline")
def point_staff_admin_inline(world, actor):
    """The finding's other door: housing_staff added to QD-CITY-HALL's staff through the staff
    inline of the point's change form (for ``dept`` that is binding itself)."""
    point = AcceptancePoint.objects.get(code=CITY_HALL)
    target = User.objects.get(username="housing_staff")
    assert not PointStaff.objects.filter(user=target).exists()
    url = f"/admin/approvals/acceptancepoint/{point.pk}/change/"
    response = world.client(actor).post(url, _point_form(point, point.name, extra_user=target))
    if PointStaff.objects.filter(user=target).exists():
        return True
    answered(response)
    return False


@probe("point_staff", "admin_add")
def point_staff_admin_add(world, actor):
    """The finding: housing_staff bound itself to QD-CITY-HALL's staff. Here every actor tries to
    bind housing_staff there (for ``dept`` that is binding itself)."""
    point = AcceptancePoint.objects.get(code=CITY_HALL)
    target = User.objects.get(username="housing_staff")
    assert not PointStaff.objects.filter(user=target).exists()
    response = world.client(actor).post(
        "/admin/approvals/pointstaff/add/", {"user": target.pk, "point": point.pk}
    )
    if PointStaff.objects.filter(user=target).exists():
        return True
    assert response.status_code != 200, f"{actor}: the binding form answered but bound nobody"
    answered(response)
    return False


@probe("point_staff", "admin_change")
def point_staff_admin_change(world, actor):
    """Move case_staff's binding from QD-CITY-HALL to the Yantai hall."""
    binding = PointStaff.objects.get(user__username="case_staff")
    yantai = AcceptancePoint.objects.get(code="HALL-370600")
    url = f"/admin/approvals/pointstaff/{binding.pk}/change/"
    response = world.client(actor).post(url, {"user": binding.user_id, "point": yantai.pk})
    moved = PointStaff.objects.get(pk=binding.pk).point_id == yantai.pk
    if not moved:
        answered(response)
    return moved


@probe("point_staff", "admin_list")
def point_staff_admin_list(world, actor):
    binding = PointStaff.objects.get(user__username="case_staff")
    row = f"/admin/approvals/pointstaff/{binding.pk}/change/"
    return admin_list(world, actor, "/admin/approvals/pointstaff/?q=case_staff", row)
