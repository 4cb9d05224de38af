"""The case page's forms (steps, adding a material, rating) follow the application form's error
pattern (issue 14 point 3): the page comes back with the error summary at the top, each error a
link to its field and shown beside it, and nothing recorded; English pages name the materials in
English (point 9)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approvals.models import Case, Status

from .factories import material
from .helpers import act, apply

PDF = b"%PDF-1.4\n%%EOF\n"


def summary(html: str) -> str:
    assert html.count("data-error-summary") == 1, "one error summary"
    return html.split("data-error-summary>", 1)[1].split("</div>", 1)[0]


def test_a_step_without_its_reasons_comes_back_with_the_error_summary(world, client):
    case = apply(world, point=world.shinan_hall)
    client.force_login(world.shinan_staff)
    response = client.post(
        reverse("approvals:case_action", args=[case.reference, "refuse"]), {"reasons": "  "}
    )
    assert response.status_code == 200
    html = response.content.decode()
    box = summary(html)
    assert 'href="#refuse-reasons"' in box and "理由" in box
    # beside the field, tied to it for screen readers
    assert 'id="refuse-reasons_error"' in html
    assert 'aria-describedby="refuse-reasons_error"' in html
    # the other steps' forms are blank and have ids of their own
    assert 'id="return_for_correction-reasons"' in html
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_a_refused_step_is_the_forms_own_error(world, client):
    case = apply(world, point=world.shinan_hall)
    material(world.item, "经营场所平面图")  # required since, not supplied
    client.force_login(world.shinan_staff)
    response = client.post(reverse("approvals:case_action", args=[case.reference, "accept"]))
    assert response.status_code == 200
    box = summary(response.content.decode())
    assert "经营场所平面图" in box
    assert 'id="step-accept-error"' in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_a_refused_file_comes_back_beside_the_file_input(world, client):
    plan = material(world.item, "经营场所平面图", required=False)
    case = apply(world, point=world.shinan_hall)
    act(case, "return_for_correction", world.shinan_staff, reasons="请补充平面图")
    client.force_login(world.citizen)
    response = client.post(
        reverse("approvals:add_material", args=[case.reference]),
        {"material": plan.pk, "file": SimpleUploadedFile("平面图.exe", b"MZ")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="#id_file"' in summary(html)
    assert 'id="id_file_error"' in html
    assert not case.materials.exists()


def test_a_rating_without_a_score_comes_back_with_the_summary(world, client):
    case = apply(world, point=world.shinan_hall)
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    client.force_login(world.citizen)
    response = client.post(reverse("approvals:rate", args=[case.reference]), {"comment": "好"})
    assert response.status_code == 200
    assert 'href="#id_score_0"' in summary(response.content.decode())


def test_english_case_page_names_the_materials_in_english(world, client):
    case = apply(world, point=world.shinan_hall)
    # required since the application: the page names it among those not supplied yet
    plan = material(world.item, "经营场所平面图", name_en="Floor plan of the business premises")
    client.force_login(world.shinan_staff)
    client.cookies["django_language"] = "en"
    html = client.get(case.get_absolute_url()).content.decode()
    assert plan.name_en in html and plan.name not in html


def test_the_case_page_says_competent_department_in_the_glossarys_word(world, client):
    """主管部门 on case pages (docs/glossary.md); 实施部门 is the catalogue's word, whose
    catalogue had won for the shared msgid."""
    case = apply(world, point=world.shinan_hall)
    client.force_login(world.shinan_staff)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "<dt>主管部门</dt>" in html and "实施部门" not in html
    assert "办件操作" in html
