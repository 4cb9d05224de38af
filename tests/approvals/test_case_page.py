"""The case page: buttons only for what the viewer may do, materials added while open, the
refusal decision document, the staff link, the admin."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from approvals.models import Case, Status

from .factories import material
from .helpers import act, apply

PDF = b"%PDF-1.4\n%%EOF\n"


def buttons(client, case) -> set[str]:
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    return {a["name"] for a in response.context["actions"]}


def test_buttons_appear_only_when_allowed(world, client):
    case = apply(world, point=world.shinan_hall)
    client.force_login(world.citizen)
    assert buttons(client, case) == {"withdraw"}
    client.force_login(world.shinan_staff)
    assert buttons(client, case) == {"accept", "refuse", "return_for_correction"}
    client.force_login(world.dept_staff)
    assert buttons(client, case) == set()
    act(case, "accept", world.shinan_staff)
    assert buttons(client, case) == {"start_review"}
    act(case, "start_review", world.dept_staff)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "approve/" in html and "reject/" in html
    client.force_login(world.other_citizen)
    assert client.get(case.get_absolute_url()).status_code == 404
    # a forged POST by someone without the role changes nothing
    client.force_login(world.citizen)
    client.post(reverse("approvals:case_action", args=[case.reference, "approve"]))
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_REVIEW


def test_returned_case_gets_a_corrected_material_then_resubmits(world, client):
    plan = material(world.item, "经营场所平面图", required=False)
    case = apply(world, point=world.shinan_hall)
    act(case, "return_for_correction", world.shinan_staff, reasons="请补充平面图")
    client.force_login(world.citizen)
    page = client.get(case.get_absolute_url())
    assert page.context["material_form"] is not None
    assert "请补充平面图" in page.content.decode()
    client.post(
        reverse("approvals:add_material", args=[case.reference]),
        {"material": plan.pk, "file": SimpleUploadedFile("平面图.pdf", PDF)},
    )
    assert case.materials.filter(kind="file", material=plan).exists()
    client.post(
        reverse("approvals:add_material", args=[case.reference]),
        {"material": plan.pk, "file": SimpleUploadedFile("平面图.exe", b"MZ")},
    )
    assert case.materials.count() == 1
    client.post(reverse("approvals:case_action", args=[case.reference, "resubmit"]))
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_rejection_decision_pdf_gives_the_reasons(world, client):
    case = apply(world, point=world.shinan_hall)
    act(case, "accept", world.shinan_staff)
    act(case, "start_review", world.dept_staff)
    act(case, "reject", world.dept_staff, reasons="经营场所不符合卫生规范要求")
    client.force_login(world.citizen)
    response = client.get(reverse("approvals:decision", args=[case.reference]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "不予" in text and "经营场所不符合卫生规范要求" in text


def test_staff_see_a_link_to_their_list(world, client):
    client.force_login(world.dept_staff)
    assert reverse("approvals:staff_cases") in client.get("/cases/").content.decode()
    client.force_login(world.citizen)
    assert client.get("/cases/staff/").status_code == 403


def test_admin_lists_cases_with_filters_and_a_read_only_log(
    world, client, django_assert_max_num_queries
):
    from tests.factories import UserFactory

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    for _ in range(5):
        apply(world, point=world.shinan_hall)
    client.force_login(admin)
    with django_assert_max_num_queries(20):
        response = client.get("/admin/approvals/case/", {"status__exact": "submitted"})
    assert response.status_code == 200
    case = Case.objects.first()
    page = client.get(f"/admin/approvals/case/{case.pk}/change/")
    assert page.status_code == 200
    assert client.get("/admin/workflow/workflowlog/add/").status_code == 403
