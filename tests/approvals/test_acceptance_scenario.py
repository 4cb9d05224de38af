"""The issue's acceptance scenario, tried as people would: through the pages and the API."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from approvals.models import Case, HandOff, Status

from .factories import ServiceItemFactory, make_resident_id, material, point_staff, put_on_list

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def act(client, case, action, **data):
    response = client.post(reverse("approvals:case_action", args=[case.reference, action]), data)
    assert response.status_code == 302
    case.refresh_from_db()
    return case


def test_city_wide_item_applied_online_is_accepted_by_the_platform_approved_and_rated(
    world, client
):
    put_on_list(world.item, "city_wide")
    licence = material(world.item, "营业场所使用证明")
    material(world.item, "居民身份证", source="shared")
    promise = material(
        world.item,
        "食品安全承诺",
        source="commitment",
        commitment_text="本人承诺所提交的材料真实有效。",
    )

    client.force_login(world.citizen)
    page = client.get(reverse("approvals:apply", args=[world.item.code]))
    assert page.status_code == 200
    # nothing to choose: the portal names the city's online platform and says why
    assert page.context["acceptance"].point.code == "QD-ONLINE"
    assert "全市通办" in page.context["acceptance"].reason
    assert world.laoshan_hall.name not in page.content.decode()
    assert "本人承诺所提交的材料真实有效。" in page.content.decode()
    response = client.post(
        reverse("approvals:apply", args=[world.item.code]),
        {
            "applicant_kind": "person",
            "applicant_name": "王小明",
            "applicant_id_number": make_resident_id(1),
            "applicant_mobile": "13900000001",
            f"material_{licence.pk}": SimpleUploadedFile("场所证明.pdf", PDF),
            f"material_{promise.pk}": "on",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.status == Status.SUBMITTED
    assert case.accepting_point.code == "QD-ONLINE"
    assert case.department == world.shinan_dept
    assert sorted(case.materials.values_list("kind", flat=True)) == ["commitment", "file", "shared"]
    my_cases = client.get(reverse("approvals:my_cases")).content.decode()
    assert case.reference in my_cases

    client.force_login(point_staff(case.accepting_point, "online_desk"))
    act(client, case, "accept")
    assert case.status == Status.ACCEPTED and case.due_on is not None
    assert not case.needs_hand_off  # online: the department reviews it directly

    client.force_login(world.dept_staff)
    listing = client.get(reverse("approvals:staff_cases")).content.decode()
    assert case.reference in listing
    for action in ("start_review", "approve", "issue_result", "deliver", "close"):
        act(client, case, action)
    assert case.status == Status.CLOSED

    client.force_login(world.citizen)
    detail = client.get(case.get_absolute_url()).content.decode()
    assert "decision.pdf" in detail and "acceptance-notice.pdf" in detail
    pdf = client.get(reverse("approvals:decision", args=[case.reference]))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "准予" in text and case.reference in text
    notice = client.get(reverse("approvals:acceptance_notice", args=[case.reference]))
    notice_text = PdfReader(io.BytesIO(notice.content)).pages[0].extract_text()
    assert "受理" in notice_text

    response = client.post(
        reverse("approvals:rate", args=[case.reference]), {"score": 5, "comment": "办事很快"}
    )
    assert response.status_code == 302
    from portal.ratings.selectors import rating_for

    rating = rating_for(case)
    assert rating is not None and rating.score == 5
    assert "办事很快" in client.get(case.get_absolute_url()).content.decode()
    # the timeline shows every step
    assert list(case.transitions.values_list("target", flat=True)) == [
        "submitted",
        "accepted",
        "under_review",
        "approved",
        "result_issued",
        "delivered",
        "closed",
    ]
    # ...saying who took each step, by role (the applicant sees roles, not staff names)
    timeline = client.get(case.get_absolute_url()).content.decode()
    timeline = timeline[timeline.index('id="timeline"') :]
    assert "(申请人)" in timeline and "(受理点工作人员)" in timeline
    assert "()" not in timeline


def test_regional_item_accepted_in_yantai_reaches_the_qingdao_department(
    world, client, django_capture_on_commit_callbacks
):
    item = ServiceItemFactory(
        code="REG-1", name="道路运输经营许可变更", department=world.city_dept, service_hall=True
    )
    put_on_list(item, "regional")
    client.force_login(world.yantai_staff)
    step1 = client.get(reverse("approvals:walk_in"), {"item": item.code})
    assert step1.status_code == 200 and "form" in step1.context
    response = client.post(
        reverse("approvals:walk_in") + f"?item={item.code}",
        {
            "applicant_kind": "person",
            "applicant_name": "李华",
            "applicant_id_number": make_resident_id(2, "370602"),
        },
    )
    case = Case.objects.get(item=item)
    assert response.status_code == 302
    assert case.channel == "service_hall" and case.accepting_point == world.yantai_hall
    act(client, case, "accept")
    with django_capture_on_commit_callbacks(execute=True):
        act(client, case, "forward")
    hand_off = HandOff.objects.get(case=case)
    from portal.notifications.models import Notification

    told = Notification.objects.get(recipient=world.city_staff, channel="inbox")
    assert case.reference in told.subject and told.link == case.get_absolute_url()
    assert hand_off.from_point == world.yantai_hall
    assert hand_off.to_department == world.city_dept
    assert hand_off.sent_by == world.yantai_staff and hand_off.received_at is None

    client.force_login(world.city_staff)
    assert case.reference in client.get(reverse("approvals:staff_cases")).content.decode()
    act(client, case, "receive")
    hand_off.refresh_from_db()
    assert hand_off.received_by == world.city_staff and hand_off.received_at is not None
    page = client.get(case.get_absolute_url()).content.decode()
    assert "烟台市政务服务中心" in page and world.city_staff.display_name in page

    # the Yantai side sees the trail too, in its "received at my point" list
    client.force_login(world.yantai_staff)
    mine = client.get(reverse("approvals:staff_cases"), {"scope": "point", "status": "all"})
    assert case.reference in mine.content.decode()
    page = client.get(case.get_absolute_url()).content.decode()
    assert world.city_dept.name in page and world.city_staff.display_name in page


def test_item_not_on_any_list_is_refused_at_a_wrong_point_with_the_reason(world, client):
    client.force_login(world.laoshan_staff)
    page = client.get(reverse("approvals:walk_in"), {"item": world.item.code})
    text = page.content.decode()
    assert "form" not in page.context
    assert "neither the city-wide nor the regional list" in text or "既不在全市通办" in text
    assert world.shinan_hall.name in text  # where it can be done instead
    assert not Case.objects.exists()

    # the API refuses with problem details naming the rule
    client.force_login(world.laoshan_staff)
    response = client.post(
        "/api/v1/cases/",
        {
            "item": world.item.code,
            "applicant_kind": "person",
            "applicant_name": "张三",
            "applicant_id_number": make_resident_id(3),
            "channel": "service_hall",
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()
    assert response["Content-Type"].startswith("application/problem+json")
    assert body["code"] == "not_acceptable_here"
    assert world.shinan_hall.name in body["places"]
    assert "city-wide" in body["rule"]
    assert not Case.objects.exists()


@pytest.mark.parametrize("lang", ["en"])
def test_refusal_message_names_where_instead(world, lang):
    from approvals import selectors

    decision = selectors.acceptance_decision(world.item, world.yantai_hall)
    assert not decision.allowed and decision.rule == "not_acceptable_here"
    assert decision.places == [world.shinan_hall.name]
