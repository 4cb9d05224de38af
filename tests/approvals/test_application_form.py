"""The application form as an applicant meets it (issue 14 point 3): the portal chooses where
the application is accepted and says why; errors come in a summary at the top, linked to their
fields, and in the page title; a file chosen before a failed submit is kept; every form among
the materials can be downloaded blank; at the counter an unticked paper original says so."""

import datetime
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from approvals import selectors
from approvals.models import Case
from portal import uploads
from portal.models import UploadDraft

from .factories import (
    ServiceItemFactory,
    make_resident_id,
    make_uscc,
    material,
    put_on_list,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def apply_url(item):
    return reverse("approvals:apply", args=[item.code])


def applicant(**extra):
    return {
        "applicant_kind": "person",
        "applicant_name": "王小明",
        "applicant_id_number": make_resident_id(1),
        **extra,
    }


# ----- where the application is accepted -------------------------------------------------------


def test_city_level_item_goes_to_the_online_platform_with_the_reason(world, client):
    item = ServiceItemFactory(code="CITY-1", department=world.city_dept)
    client.force_login(world.citizen)
    page = client.get(apply_url(item))
    chosen = page.context["acceptance"]
    assert chosen.point.code == "QD-ONLINE"
    html = page.content.decode()
    assert chosen.point.name in html and world.city_dept.name in chosen.reason
    # nothing to choose: no list of acceptance points, Yantai least of all
    assert 'name="accepting_point"' not in html and world.yantai_hall.name not in html


def test_district_item_on_no_list_goes_to_its_district_hall(world, client):
    client.force_login(world.citizen)
    page = client.get(apply_url(world.item))
    chosen = page.context["acceptance"]
    assert chosen.point == world.shinan_hall
    assert world.shinan_dept.name in chosen.reason
    assert world.shinan_dept.name in page.content.decode()


def test_regional_item_of_another_city_is_accepted_online_in_qingdao(world):
    from .factories import district_department

    yantai_dept = district_department("370600", "YT-DEPT")
    item = ServiceItemFactory(code="YT-1", department=yantai_dept)
    assert selectors.online_acceptance_point(item).point == world.yantai_hall
    put_on_list(item, "regional")
    chosen = selectors.online_acceptance_point(item)
    assert chosen.point.code == "QD-ONLINE" and "区域通办" in chosen.reason


def test_among_several_halls_the_applicants_district_comes_first(world):
    """The platform closed: a city-level item may be accepted at any Qingdao hall; the one of
    the applicant's district (from the identity number, or a company's credit code) is chosen."""
    platform = selectors.online_platform()
    platform.is_active = False
    platform.save()
    item = ServiceItemFactory(code="CITY-2", department=world.city_dept)
    laoshan_person = selectors.online_acceptance_point(
        item, "person", make_resident_id(3, "370212")
    )
    assert laoshan_person.point == world.laoshan_hall
    shinan_company = selectors.online_acceptance_point(item, "company", make_uscc(4, "370202"))
    assert shinan_company.point == world.shinan_hall


def test_posted_point_is_ignored_and_the_chosen_one_recorded(world, client):
    client.force_login(world.citizen)
    response = client.post(apply_url(world.item), applicant(accepting_point=world.yantai_hall.pk))
    assert response.status_code == 302
    assert Case.objects.get().accepting_point == world.shinan_hall


def test_item_no_point_may_accept_says_where_and_records_nothing(world, client):
    from .factories import district_department

    pingdu = district_department("370283", "PD-DEPT")  # no hall in Pingdu in this world
    item = ServiceItemFactory(code="PD-1", department=pingdu)
    client.force_login(world.citizen)
    page = client.get(apply_url(item))
    assert page.context["acceptance"].point is None
    response = client.post(apply_url(item), applicant())
    assert response.status_code == 200 and not Case.objects.exists()
    assert "平度" in response.content.decode()


# ----- error summary ------------------------------------------------------------------------------


def summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


@pytest.mark.parametrize(
    ("language", "prefix", "heading"),
    [("zh-hans", "错误：", "有问题需要处理"), ("en", "Error: ", "There is a problem")],
)
def test_errors_come_in_a_summary_first_after_the_heading_linked_to_fields(
    world, client, language, prefix, heading
):
    licence = material(world.item, "营业场所使用证明")
    client.force_login(world.citizen)
    client.cookies["django_language"] = language
    response = client.post(
        apply_url(world.item), {"applicant_kind": "person", "applicant_id_number": "123"}
    )
    assert response.status_code == 200 and not Case.objects.exists()
    html = response.content.decode()
    assert re.search(r"<title>\s*" + re.escape(prefix), html)
    box = summary(html)
    assert 'role="alert"' in box and 'tabindex="-1"' in box and "autofocus" in box
    assert heading in box
    links = re.findall(r'<a href="#([^"]+)"', box)
    assert {"id_applicant_name", "id_applicant_id_number", f"id_material_{licence.pk}"} <= set(
        links
    )
    for target in links:
        assert f'id="{target}"' in html  # each link leads to its field
    # first after the heading: nothing between the h1 and the summary but white space
    after_h1 = html[html.index("</h1>") + 5 :]
    assert after_h1.lstrip().startswith('<div class="error-summary"')
    # and beside each field too
    assert 'id="id_applicant_name_error"' in html


def test_a_page_without_errors_has_no_summary_and_no_prefix(world, client):
    client.force_login(world.citizen)
    html = client.get(apply_url(world.item)).content.decode()
    assert 'class="error-summary"' not in html
    assert "<title>错误" not in html


# ----- kept uploads -------------------------------------------------------------------------------


def test_file_chosen_before_a_failed_submit_is_kept_and_used(world, client):
    licence = material(world.item, "营业场所使用证明")
    plan = material(world.item, "平面图")
    client.force_login(world.citizen)
    first = client.post(
        apply_url(world.item),
        {
            "applicant_kind": "person",
            "applicant_id_number": make_resident_id(1),
            f"material_{licence.pk}": SimpleUploadedFile("场所证明.pdf", PDF),
        },
    )
    assert first.status_code == 200 and not Case.objects.exists()
    html = first.content.decode()
    assert "已上传：场所证明.pdf" in html
    # the kept file answers its field: only the name and the other file are asked for
    box = summary(html)
    assert f"#id_material_{licence.pk}" not in box and f"#id_material_{plan.pk}" in box
    draft = UploadDraft.objects.get()
    stored = draft.file.name
    assert draft.user == world.citizen and "场所证明" not in stored  # no personal file name

    second = client.post(
        apply_url(world.item),
        applicant(
            **{f"material_{plan.pk}": SimpleUploadedFile("平面图.png", b"\x89PNG\r\n\x1a\n1")}
        ),
    )
    assert second.status_code == 302
    case = Case.objects.get()
    kept = case.materials.get(material=licence)
    with kept.file.open("rb") as handle:
        assert kept.original_name == "场所证明.pdf" and handle.read() == PDF
    assert not UploadDraft.objects.exists() and not default_storage.exists(stored)


def test_a_refused_file_is_not_kept(world, client):
    licence = material(world.item, "营业场所使用证明")
    client.force_login(world.citizen)
    response = client.post(
        apply_url(world.item),
        applicant(**{f"material_{licence.pk}": SimpleUploadedFile("伪装.pdf", b"MZ not a pdf")}),
    )
    assert response.status_code == 200
    assert "已上传" not in response.content.decode()
    assert not UploadDraft.objects.exists()


def test_kept_files_are_the_users_own_and_expire(world, client):
    licence = material(world.item, "营业场所使用证明")
    client.force_login(world.citizen)
    client.post(
        apply_url(world.item),
        {f"material_{licence.pk}": SimpleUploadedFile("场所证明.pdf", PDF)},
    )
    assert UploadDraft.objects.count() == 1
    client.force_login(world.other_citizen)
    assert "已上传" not in client.get(apply_url(world.item)).content.decode()

    draft = UploadDraft.objects.get()
    name = draft.file.name
    assert uploads.purge_expired_drafts() == 0
    UploadDraft.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert uploads.purge_expired_drafts() == 1
    assert not UploadDraft.objects.exists() and not default_storage.exists(name)


# ----- blank forms -------------------------------------------------------------------------------


def test_every_form_among_the_materials_can_be_downloaded_blank(world, client):
    form = material(world.item, "申请表")
    proxy = material(world.item, "授权委托书", required=False)
    photo = material(world.item, "营业场所使用证明")
    client.force_login(world.citizen)
    html = client.get(apply_url(world.item)).content.decode()
    for mat in (form, proxy):
        url = reverse("approvals:blank_form", args=[world.item.code, mat.pk])
        assert f'href="{url}"' in html
        client.logout()  # nothing personal: anyone may download it
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
        assert mat.name in text and world.item.name in text and world.item.code in text
        client.force_login(world.citizen)
    assert reverse("approvals:blank_form", args=[world.item.code, photo.pk]) not in html
    assert (
        client.get(reverse("approvals:blank_form", args=[world.item.code, photo.pk])).status_code
        == 404
    )
    other = ServiceItemFactory(code="OTHER-1")
    assert (
        client.get(reverse("approvals:blank_form", args=[other.code, form.pk])).status_code == 404
    )


# ----- at the counter -------------------------------------------------------------------------


def test_unticked_paper_original_says_what_is_missing(world, client):
    world.item.service_hall = True
    world.item.save()
    licence = material(world.item, "营业场所使用证明")
    client.force_login(world.shinan_staff)
    response = client.post(reverse("approvals:walk_in") + f"?item={world.item.code}", applicant())
    assert response.status_code == 200 and not Case.objects.exists()
    errors = response.context["form"].errors[f"material_{licence.pk}"]
    assert "纸质原件" in errors[0] and "营业场所使用证明" in errors[0]
    assert "上传" not in errors[0]
    box = summary(response.content.decode())
    assert f'href="#id_material_{licence.pk}"' in box


def test_the_form_makes_as_many_queries_with_twelve_materials_as_with_two(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world.citizen)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(apply_url(world.item)).status_code == 200
        return len(queries)

    for name in ("申请表", "营业场所使用证明"):
        material(world.item, name)
    count()  # the first creates the online platform and fills the caches
    few = count()
    for n in range(10):
        material(world.item, "授权委托书" if n % 2 else f"证明材料{n}")
    assert count() == few


def test_the_item_page_offers_the_blank_forms_too(world, client):
    form = material(world.item, "申请书")
    material(world.item, "营业场所使用证明")
    page = client.get(world.item.get_absolute_url()).content.decode()
    assert 'id="blank-forms-heading"' in page
    assert reverse("approvals:blank_form", args=[world.item.code, form.pk]) in page
    assert "下载空白表格：申请书（PDF）" in page
    other = ServiceItemFactory(code="NO-FORMS")
    material(other, "营业场所使用证明")
    assert 'id="blank-forms-heading"' not in client.get(other.get_absolute_url()).content.decode()
