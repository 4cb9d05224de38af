"""The 12348 hotline: consultations recorded by staff or by the hotline system (API), and a
consultation becoming an application with its data pre-filled; the applicant sees the link."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from legal_aid.models import ApplicationDraft, Consultation, LegalAidApplication
from legal_aid.services import record_consultation
from tests.factories import UserFactory

from . import factories as f

pytestmark = pytest.mark.django_db


def _consultation(staff, phone="13969001234", **extra):
    return record_consultation(
        caller_name="王建国",
        caller_phone=phone,
        topic="labour",
        question="在莱西工地干活被拖欠工资两万元，我住在市南区，能申请法律援助吗？",
        answer="可以申请，由莱西市法律援助中心受理。",
        duration_seconds=420,
        handled_by=staff,
        suggest_application=True,
        **extra,
    )


def test_staff_record_a_consultation_on_the_page(client, laixi_staff):
    client.force_login(laixi_staff)
    response = client.post(
        reverse("legal_aid:consultations"),
        {
            "caller_name": "李四",
            "caller_phone": "13800001111",
            "topic": "maintenance",
            "question": "前夫不给抚养费",
            "answer": "可以起诉",
            "duration_seconds": "300",
        },
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.handled_by == laixi_staff
    assert consultation.duration_seconds == 300


def test_the_hotline_system_records_by_api(client):
    system = UserFactory(username="hotline_system", mobile="13900000000")
    system.user_permissions.add(Permission.objects.get(codename="add_consultation"))
    client.force_login(system)
    response = client.post(
        "/api/v1/legal-aid/consultations/",
        {
            "caller_phone": "13969001234",
            "topic": "labour",
            "question": "欠薪",
            "answer": "可申请法律援助",
            "duration_seconds": 180,
            "suggest_application": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["reference"].startswith("ZX")


def test_a_citizen_cannot_record_consultations(client, citizen):
    client.force_login(citizen)
    response = client.post(
        "/api/v1/legal-aid/consultations/",
        {
            "caller_phone": "13969001234",
            "topic": "labour",
            "question": "q",
            "answer": "a",
            "duration_seconds": 10,
        },
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_the_caller_sees_the_link_and_gets_a_prefilled_application(client, citizen, laixi_staff):
    consultation = _consultation(laixi_staff)
    client.force_login(citizen)
    home = client.get(reverse("legal_aid:home")).content.decode()
    link = reverse("legal_aid:consultation_apply", args=[consultation.reference])
    assert link in home
    response = client.post(link)
    assert response.url == reverse("legal_aid:apply_step", args=[1])
    draft = ApplicationDraft.objects.get(user=citizen)
    assert draft.consultation == consultation
    assert draft.data["category"] == "labour"
    assert "拖欠工资" in draft.data["facts"]
    step1 = client.get(reverse("legal_aid:apply_step", args=[1])).content.decode()
    assert "13969001234" in step1 and "王建国" in step1
    assert consultation.reference in step1


def test_the_consultation_is_linked_to_the_application(citizen, laixi_staff):
    consultation = _consultation(laixi_staff)
    app = f.submit(citizen, consultation=consultation)
    assert LegalAidApplication.objects.get(pk=app.pk).consultation == consultation


def test_someone_else_cannot_use_the_consultation(client, laixi_staff):
    consultation = _consultation(laixi_staff)
    other = f.citizen(username="other", serial=2, mobile="13969009999")
    client.force_login(other)
    response = client.get(reverse("legal_aid:consultation_apply", args=[consultation.reference]))
    assert response.status_code == 404


def test_suggesting_an_application_texts_the_caller(
    laixi_staff, django_capture_on_commit_callbacks
):
    from portal.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        consultation = _consultation(laixi_staff, phone="13969007777")
    # the link to apply (the other SMS is the call's satisfaction survey)
    sms = Notification.objects.get(channel="sms", address="13969007777", link__contains="/apply/")
    assert consultation.reference in sms.link
