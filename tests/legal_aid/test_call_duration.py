"""12348 call lengths are typed as staff say them (5:30, or minutes) and shown as "5 分 30 秒",
not in seconds (issue 14 point 9), in Chinese and English; a length the form cannot read is
refused with a specific message and nothing is recorded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from legal_aid.models import Consultation

pytestmark = pytest.mark.django_db

CALL = {
    "caller_name": "李四",
    "caller_phone": "13800001111",
    "service": "legal_aid",
    "topic": "maintenance",
    "question": "前夫不给抚养费",
    "answer": "可以起诉",
}


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [("5:30", 330), ("5：30", 330), ("5", 300), ("5分30秒", 330), ("12分钟", 720), ("45秒", 45)],
)
def test_staff_type_the_length_as_they_say_it(client, laixi_staff, typed, seconds):
    client.force_login(laixi_staff)
    response = client.post(reverse("legal_aid:consultations"), {**CALL, "duration": typed})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Consultation.objects.get().duration_seconds == seconds


@pytest.mark.parametrize(
    ("language", "typed", "says"),
    [
        ("zh-hans", "5:75", "请按“分:秒”（如 5:30）或整分钟数（如 5）填写通话时长。"),
        ("zh-hans", "", "请填写通话时长，如 5:30。"),
        ("en", "five", "Write the length as minutes:seconds (5:30) or whole minutes (5)."),
    ],
)
def test_a_length_the_form_cannot_read_is_refused(client, laixi_staff, language, typed, says):
    client.force_login(laixi_staff)
    client.cookies["django_language"] = language
    response = client.post(reverse("legal_aid:consultations"), {**CALL, "duration": typed})
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Consultation.objects.exists()


@pytest.mark.parametrize(("language", "shown"), [("zh-hans", "5 分 30 秒"), ("en", "5 min 30 s")])
def test_the_list_shows_minutes_and_seconds(client, laixi_staff, language, shown):
    client.force_login(laixi_staff)
    client.post(reverse("legal_aid:consultations"), {**CALL, "duration": "5:30"})
    client.cookies["django_language"] = language
    page = client.get(reverse("legal_aid:consultations")).content.decode()
    assert f"<td>{shown}</td>" in page
    assert "330 s" not in page
