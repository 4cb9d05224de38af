"""Acceptance checks the required materials: a plain acceptance needs them all, acceptance with
materials to follow (容缺受理) records the missing ones and their deadline."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals import selectors, services
from approvals.models import Case, Channel, Status
from portal.workflow import Refused
from portal.workflow.models import WorkflowLog

from .factories import make_resident_id, make_uscc, material
from .helpers import act, apply

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def owed(world):
    """The item may be accepted with materials to follow; two required uploads, one optional."""
    world.item.missing_materials_allowed = True
    world.item.save()
    world.plan = material(world.item, "经营场所平面图", position=1)
    world.lease = material(world.item, "场地使用证明", position=2)
    world.photo = material(world.item, "门头照片", required=False, position=3)
    return world


def upload(case, which, user):
    return services.add_material(
        case, which, SimpleUploadedFile(f"{which.name}.pdf", PDF), user=user
    )


def test_accept_is_refused_naming_the_missing_materials(owed):
    case = apply(owed, point=owed.shinan_hall)
    with pytest.raises(Refused) as exc:
        act(case, "accept", owed.shinan_staff)
    assert exc.value.code == "materials_missing"
    assert exc.value.extra["missing_materials"] == ["经营场所平面图", "场地使用证明"]
    assert "经营场所平面图" in exc.value.message and "场地使用证明" in exc.value.message
    case.refresh_from_db()
    assert case.status == Status.SUBMITTED and case.accepted_on is None
    assert not WorkflowLog.objects.filter(case=case, step="accept").exists()


def test_accept_goes_through_once_the_required_ones_are_uploaded(owed):
    case = apply(owed, point=owed.shinan_hall)
    upload(case, owed.plan, owed.citizen)
    with pytest.raises(Refused) as exc:
        act(case, "accept", owed.shinan_staff)
    assert exc.value.extra["missing_materials"] == ["场地使用证明"]
    upload(case, owed.lease, owed.citizen)
    act(case, "accept", owed.shinan_staff)  # the optional photo is not needed
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_shared_data_commitments_and_paper_originals_count_as_supplied(world):
    material(world.item, "营业执照", source="shared")
    material(world.item, "信用承诺", source="commitment", commitment_text="本人承诺信息真实")
    counter_copy = material(world.item, "身份证原件")
    case = services.submit_case(
        item=world.item,
        applicant_kind="person",
        applicant_id_number=make_resident_id(2),
        applicant_name="李四",
        channel=Channel.SERVICE_HALL,
        accepting_point=world.shinan_hall,
        materials=[
            {"material": counter_copy, "paper": True},
            {"material": world.item.materials.get(source="commitment"), "committed": True},
        ],
        by=world.shinan_staff,
    )
    assert selectors.missing_materials(case) == []
    act(case, "accept", world.shinan_staff)
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_a_material_recorded_under_its_name_without_the_catalogue_link_counts(world):
    # How proactive approval records what it assembles from shared data.
    material(world.item, "食品安全管理制度")
    case = services.open_case_on_channel(
        channel=Channel.PROACTIVE,
        item=world.item,
        applicant_kind="company",
        applicant_id_number=make_uscc(3),
        applicant_name="青岛海晨餐饮有限公司",
        materials=[{"kind": "shared", "name": "食品安全管理制度", "shared_record": "SH-1"}],
    )
    assert selectors.missing_materials(case) == []


def test_proactive_cases_are_not_held_up(world):
    # Opened accepted by the system, with an applicant material the item requires and nobody
    # uploads: the system still reviews, approves and issues.
    material(world.item, "经营场所平面图")
    case = services.open_case_on_channel(
        channel=Channel.PROACTIVE,
        item=world.item,
        applicant_kind="company",
        applicant_id_number=make_uscc(4),
        applicant_name="青岛海晨建设有限公司",
        materials=[{"kind": "shared", "name": "营业执照", "shared_record": "LIC-9"}],
    )
    for action in ("start_review", "approve", "issue_result"):
        services.transition(case.pk, action, user=None)
    assert Case.objects.get(pk=case.pk).status == Status.RESULT_ISSUED


def test_acceptance_with_materials_to_follow_records_them_and_the_deadline(owed, on_day):
    on_day(datetime.date(2026, 11, 2))
    case = apply(owed, point=owed.shinan_hall)
    upload(case, owed.plan, owed.citizen)
    act(
        case,
        "accept_with_missing_materials",
        owed.shinan_staff,
        materials_due_on=datetime.date(2026, 11, 6),
    )
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED_WITH_MISSING_MATERIALS
    assert case.missing_materials == ["场地使用证明"]
    assert case.materials_due_on == datetime.date(2026, 11, 6)
    log = case.transitions.get(step="accept_with_missing_materials")
    assert "场地使用证明" in log.note and "2026-11-06" in log.note


def test_acceptance_with_materials_to_follow_needs_something_missing(owed):
    case = apply(owed, point=owed.shinan_hall)
    upload(case, owed.plan, owed.citizen)
    upload(case, owed.lease, owed.citizen)
    with pytest.raises(Refused) as exc:
        act(case, "accept_with_missing_materials", owed.shinan_staff)
    assert exc.value.code == "nothing_missing"
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_materials_supplied_only_once_they_are_there(owed):
    case = apply(owed, point=owed.shinan_hall)
    act(case, "accept_with_missing_materials", owed.shinan_staff)
    upload(case, owed.plan, owed.citizen)
    with pytest.raises(Refused) as exc:
        act(case, "supply_materials", owed.citizen)
    assert exc.value.code == "materials_missing" and exc.value.extra["missing_materials"] == [
        "场地使用证明"
    ]
    upload(case, owed.lease, owed.citizen)
    act(case, "supply_materials", owed.citizen)
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.materials_due_on is None
    assert case.missing_materials == ["经营场所平面图", "场地使用证明"]  # what was owed, kept


def test_staff_page_names_the_missing_materials_and_the_refusal(owed, client):
    case = apply(owed, point=owed.shinan_hall)
    client.force_login(owed.shinan_staff)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="still-missing"' in page
    assert "经营场所平面图" in page and "场地使用证明" in page
    response = client.post(f"{case.get_absolute_url()}act/accept/", {"note": ""}, follow=True)
    # the refusal is the accept form's error, in the error summary at the top (GOV.UK pattern)
    [item] = response.context["failed_form"].non_field_errors()
    assert case.reference in item
    assert "经营场所平面图" in item and "场地使用证明" in item
    summary = response.content.decode().split("data-error-summary>", 1)[1].split("</div>", 1)[0]
    assert item in summary
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_api_refuses_acceptance_with_a_409_naming_the_materials(owed, client):
    case = apply(owed, point=owed.shinan_hall)
    client.force_login(owed.shinan_staff)
    url = f"/api/v1/cases/{case.reference}/accept/"
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 409
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "materials_missing"
    assert body["missing_materials"] == ["经营场所平面图", "场地使用证明"]
    assert "场地使用证明" in body["detail"]

    url = f"/api/v1/cases/{case.reference}/accept_with_missing_materials/"
    response = client.post(url, {"materials_due_on": "2099-01-05"}, content_type="application/json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["missing_materials"] == ["经营场所平面图", "场地使用证明"]
    assert body["materials_due_on"] == "2099-01-05" and body["materials_overdue_on"] is None


def test_api_refuses_materials_to_follow_when_nothing_is_missing(world, client):
    world.item.missing_materials_allowed = True
    world.item.save()
    case = apply(world, point=world.shinan_hall)
    client.force_login(world.shinan_staff)
    url = f"/api/v1/cases/{case.reference}/accept_with_missing_materials/"
    response = client.post(url, {}, content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "nothing_missing"


def queries_for_page(client, case) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(case.get_absolute_url()).status_code == 200
    return len(captured)


def test_case_page_query_count_does_not_grow_with_the_materials(world, client):
    world.item.missing_materials_allowed = True
    world.item.save()
    material(world.item, "材料0")
    few = apply(world, point=world.shinan_hall)
    for n in range(1, 12):
        material(world.item, f"材料{n}")
    many = apply(world, point=world.shinan_hall)
    client.force_login(world.shinan_staff)
    queries_for_page(client, few)  # warm the per-process caches
    assert queries_for_page(client, many) == queries_for_page(client, few)
    assert "材料11" in client.get(many.get_absolute_url()).content.decode()
