"""Identity numbers masked in lists; every opening of a full record by staff is logged."""

import pytest
from django.urls import reverse

from legal_aid.models import AccessLog
from tests.factories import make_resident_id

from . import factories as f

pytestmark = pytest.mark.django_db


def test_the_worklist_masks_identity_numbers(client, citizen, laixi_staff):
    app = f.submit(citizen)
    client.force_login(laixi_staff)
    page = client.get(reverse("legal_aid:worklist")).content.decode()
    assert app.resident_id not in page
    assert f"{app.resident_id[:6]}********{app.resident_id[-4:]}" in page


def test_the_consultation_list_masks_phone_numbers(client, laixi_staff):
    from legal_aid.services import record_consultation

    record_consultation(
        caller_name="张三",
        caller_phone="13912345678",
        topic="labour",
        question="欠薪",
        answer="可申请仲裁",
        duration_seconds=200,
        handled_by=laixi_staff,
    )
    client.force_login(laixi_staff)
    page = client.get(reverse("legal_aid:consultations")).content.decode()
    assert "13912345678" not in page
    assert "139****5678" in page


def test_opening_a_record_page_pdf_api_is_logged(client, citizen, laixi_staff):
    app = f.submit(citizen)
    client.force_login(laixi_staff)
    client.get(reverse("legal_aid:staff_application", args=[app.reference]))
    client.get(reverse("legal_aid:document", args=[app.reference, "receipt"]))
    client.get(f"/api/v1/legal-aid/applications/{app.reference}/")
    logs = list(AccessLog.objects.filter(application=app).values_list("user", "channel"))
    assert sorted(logs) == sorted(
        [(laixi_staff.pk, "page"), (laixi_staff.pk, "pdf"), (laixi_staff.pk, "api")]
    )


def test_the_applicant_reading_their_own_is_not_logged(client, citizen):
    app = f.submit(citizen)
    client.force_login(citizen)
    client.get(reverse("legal_aid:application", args=[app.reference]))
    assert not AccessLog.objects.exists()


def test_the_api_shows_the_applicant_their_own_identity_number(client, citizen):
    app = f.submit(citizen)
    client.force_login(citizen)
    data = client.get(f"/api/v1/legal-aid/applications/{app.reference}/").json()
    assert data["resident_id"] == app.resident_id
    created = client.post(
        "/api/v1/legal-aid/applications/",
        {
            "applicant_name": "王建国",
            "resident_id": app.resident_id,
            "phone": "13969001234",
            "matter_type": "litigation",
            "category": "labour",
            "body": "C370285",
            "facts": "拖欠工资",
            "exemption": "migrant_worker_wages",
            "commitment": True,
        },
        content_type="application/json",
    ).json()
    assert created["resident_id"] == app.resident_id
    withdrawn = client.post(
        f"/api/v1/legal-aid/applications/{app.reference}/withdraw/",
        {},
        content_type="application/json",
    ).json()
    assert withdrawn["resident_id"] == app.resident_id


def _masked(resident_id):
    return f"{resident_id[:6]}********{resident_id[-4:]}"


def test_the_api_masks_the_identity_number_for_everybody_else(
    client, citizen, laixi_staff, shinan_staff, laixi_bureau
):
    app = f.submit(citizen, accepting_centre=f.centre("370202"))
    url = f"/api/v1/legal-aid/applications/{app.reference}/"
    for reader in (laixi_staff, shinan_staff, laixi_bureau):  # competent, accepting, bureau
        client.force_login(reader)
        data = client.get(url).json()
        assert data["resident_id"] == _masked(app.resident_id), reader
    client.force_login(laixi_staff)
    acted = client.post(f"{url}start_review/", {}, content_type="application/json").json()
    assert acted["resident_id"] == _masked(app.resident_id)


def test_a_walk_in_recorded_through_the_api_is_masked_for_the_staff(client, shinan_staff):
    client.force_login(shinan_staff)
    data = client.post(
        "/api/v1/legal-aid/applications/",
        {
            "applicant_name": "刘秀英",
            "resident_id": make_resident_id(7, "370285", "19700505"),
            "phone": "13969007777",
            "matter_type": "litigation",
            "category": "labour",
            "body": "C370285",
            "facts": "拖欠工资",
            "exemption": "migrant_worker_wages",
            "commitment": True,
        },
        content_type="application/json",
    ).json()
    assert data["resident_id"] == _masked(make_resident_id(7, "370285", "19700505"))
