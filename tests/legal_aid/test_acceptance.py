"""The issue's acceptance scenario, through the pages as a new user would: a worker owed wages
whose case is before the Laixi court applies online while living in Shinan; the application is
routed to the Laixi centre with the reason; staff ask once for a missing document, the
applicant uploads it, aid is granted on time, a lawyer assigned, progress shown, the case closed
and rated; every document downloads as a PDF with a CJK font."""

from __future__ import annotations

import shutil
import subprocess
import tempfile

import pytest
from django.urls import reverse
from django.utils import timezone

from legal_aid.models import AccessLog, LegalAidApplication, State
from portal.ratings.models import Rating
from tests.factories import make_resident_id

from . import factories as f

pytestmark = pytest.mark.django_db


def _step(client, number, data, files=None):
    url = reverse("legal_aid:apply_step", args=[number])
    return client.post(url, {**data, **(files or {})})


def test_worker_owed_wages_from_application_to_rating(
    client, citizen, laixi_staff, laixi_lawyer, settings
):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(citizen)

    # the home page and the start of the application
    assert client.get(reverse("legal_aid:home")).status_code == 200
    response = client.get(reverse("legal_aid:apply"))
    assert response.url == reverse("legal_aid:apply_step", args=[1])

    # step 1: applicant (living in Shinan); a wrong identity number is refused
    valid = make_resident_id(1, "370202", "19800101")
    wrong = valid[:17] + ("1" if valid[17] != "1" else "2")
    bad = _step(
        client,
        1,
        {
            "applicant_name": "王建国",
            "resident_id": wrong,
            "phone": "13969001234",
            "residence": "370202",
        },
    )
    assert bad.status_code == 200
    assert "校验码" in bad.content.decode() or "check digit" in bad.content.decode()
    ok = _step(
        client,
        1,
        {
            "applicant_name": "王建国",
            "resident_id": make_resident_id(1, "370202", "19800101"),
            "phone": "13969001234",
            "address": "市南区香港中路10号",
            "residence": "370202",
        },
    )
    assert ok.status_code == 302

    # step 2: the matter, before the Laixi court, applying online
    ok = _step(
        client,
        2,
        {
            "matter_type": "litigation",
            "category": "labour",
            "opposing_party": "青岛某建筑劳务有限公司",
            "body": "C370285",
            "arose_on": "2026-03-01",
            "facts": "在莱西工地干了半年，被拖欠工资两万元。",
            "urgency": "",
            "accepting_centre": "",
        },
    )
    assert ok.status_code == 302, ok.context["form"].errors

    # step 3: exemption (migrant worker claiming wages) and the commitment
    missing = _step(client, 3, {"exemption": "migrant_worker_wages"})
    assert missing.status_code == 200  # the commitment is required
    ok = _step(client, 3, {"exemption": "migrant_worker_wages", "commitment": "on"})
    assert ok.status_code == 302

    # step 4: evidence; a bad file is refused with a clear message and nothing is lost
    refused = _step(
        client,
        4,
        {"description": "照片"},
        {"file": f.SimpleUploadedFile("wages.exe", b"MZ\x90\x00")},
    )
    assert refused.status_code == 400
    assert "PDF" in refused.content.decode()
    ok = _step(client, 4, {"description": "工资欠条"}, {"file": f.pdf_upload("iou.pdf")})
    assert ok.status_code == 302

    # step 5: review shows the competent centre with the reason; submit
    review = client.get(reverse("legal_aid:apply_step", args=[5]))
    page = review.content.decode()
    assert "莱西市法律援助中心" in page
    assert ("莱西市人民法院" in page and "第三十八条" in page) or "article 38" in page
    assert "王建国" in page  # the earlier steps' answers survived the refused upload
    response = client.post(reverse("legal_aid:apply_step", args=[5]))
    app = LegalAidApplication.objects.get(applicant=citizen)
    assert response.url == reverse("legal_aid:application", args=[app.reference])
    assert app.competent_centre.code == "LA370285"
    assert app.channel == "online"
    assert "莱西市人民法院" in app.routing_reason
    assert "Laixi" in app.routing_reason_en
    assert app.evidence.count() == 1
    assert app.state == State.SUBMITTED

    # staff of the Laixi centre: worklist (masked identity number), record (access logged)
    client.force_login(laixi_staff)
    worklist = client.get(reverse("legal_aid:worklist")).content.decode()
    assert app.reference in worklist
    assert app.resident_id not in worklist
    assert app.resident_id[:6] + "********" + app.resident_id[-4:] in worklist
    client.get(reverse("legal_aid:staff_application", args=[app.reference]))
    assert AccessLog.objects.filter(application=app, user=laixi_staff).count() == 1

    staff_act = lambda action, data=None: client.post(  # noqa: E731
        reverse("legal_aid:staff_act", args=[app.reference, action]), data or {}
    )
    assert staff_act("start_review").status_code == 302
    assert (
        staff_act(
            "request_materials", {"items": "劳动合同或考勤记录\n身份证复印件", "days": "15"}
        ).status_code
        == 302
    )
    app.refresh_from_db()
    assert app.state == State.MATERIALS_REQUESTED
    assert app.materials_request.splitlines() == ["劳动合同或考勤记录", "身份证复印件"]

    # the applicant sees the request (all items at once), uploads and sends
    client.force_login(citizen)
    page = client.get(reverse("legal_aid:application", args=[app.reference])).content.decode()
    assert "劳动合同或考勤记录" in page and "身份证复印件" in page
    client.post(
        reverse("legal_aid:upload_materials", args=[app.reference]),
        {"description": "劳动合同", "file": f.pdf_upload("contract.pdf")},
    )
    client.post(
        reverse("legal_aid:citizen_act", args=[app.reference, "supply_materials"]),
        {"note": "已补充"},
    )
    app.refresh_from_db()
    assert app.state == State.UNDER_REVIEW
    assert app.evidence.filter(for_materials_request=True).count() == 1

    # staff: a second request is not possible (asked once); grant; assign; progress; close
    client.force_login(laixi_staff)
    detail = client.get(reverse("legal_aid:staff_application", args=[app.reference]))
    assert "request_materials" not in [a for a, _ in detail.context["actions"]]
    again = staff_act("request_materials", {"items": "再补一份", "days": "15"})
    assert again.status_code == 302
    app.refresh_from_db()
    assert app.state == State.UNDER_REVIEW
    assert staff_act("grant", {"reasons": "农民工讨薪，免予核查经济困难状况。"}).status_code == 302
    app.refresh_from_db()
    assert app.state == State.GRANTED
    assert timezone.localtime(app.decided_at).date() <= app.decision_due  # on time
    assert staff_act("assign_lawyer", {"lawyer": str(laixi_lawyer.pk)}).status_code == 302
    app.refresh_from_db()
    assert app.state == State.LAWYER_ASSIGNED and app.lawyer == laixi_lawyer
    assert timezone.localtime(app.assigned_at).date() <= app.assignment_due
    client.post(
        reverse("legal_aid:progress", args=[app.reference]),
        {"text": "已向莱西市人民法院提交起诉状。"},
    )
    app.refresh_from_db()
    assert app.state == State.IN_PROGRESS
    assert (
        staff_act("close", {"outcome": "won", "note": "法院判决支付工资两万元。"}).status_code
        == 302
    )
    app.refresh_from_db()
    assert app.state == State.CLOSED

    # the applicant sees the progress and rates the service
    client.force_login(citizen)
    page = client.get(reverse("legal_aid:application", args=[app.reference])).content.decode()
    assert "已向莱西市人民法院提交起诉状。" in page
    client.post(
        reverse("legal_aid:citizen_act", args=[app.reference, "rate"]),
        {"score": "5", "comment": "律师很负责"},
    )
    app.refresh_from_db()
    assert app.state == State.RATED
    assert Rating.objects.get().score == 5

    # every document downloads as a PDF in Chinese with an embedded CJK font
    for kind in ("receipt", "decision", "assignment"):
        response = client.get(reverse("legal_aid:document", args=[app.reference, kind]))
        assert response.status_code == 200, kind
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        if shutil.which("pdffonts"):
            with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
                handle.write(response.content)
                handle.flush()
                fonts = subprocess.run(
                    ["pdffonts", handle.name], capture_output=True, text=True, check=True
                ).stdout
            assert "CJK" in fonts, kind
