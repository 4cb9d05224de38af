"""12348 (issue 18): the call record gets the lawyer on the hotline rota at the call's time,
its topic from the wider list, and a one-question survey by SMS answered by a signed link
without sign-in; the answers appear in the statistics."""

import datetime

import pytest
from django.utils import timezone

from legal_aid.models import Consultation, DutyRota, Lawyer, RotaEntry
from legal_aid.services import record_consultation
from legal_aid.services.hotline import duty_lawyer_at, survey_link
from legal_aid.statistics import statistics
from portal import workdays
from portal.notifications.models import Notification

from . import factories as f

pytestmark = pytest.mark.django_db


def _day(working: bool) -> datetime.date:
    day = timezone.localdate()
    while workdays.is_working_day(day) != working:
        day += datetime.timedelta(days=1)
    return day


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def hotline_rota():
    rota = DutyRota.objects.create(
        name="12348热线值班表", kind="hotline", centre=f.centre("370285")
    )
    lawyers = {}
    for n, (shift, days) in enumerate([("day", "working"), ("night", ""), ("day", "rest")]):
        lawyers[(shift, days)] = Lawyer.objects.create(
            centre=f.centre("370285"),
            name=f"值班律师{n}",
            licence_number=f"1370220181000002{n}",
            firm="山东德衡律师事务所",
            hotline_duty=True,
        )
        RotaEntry.objects.create(rota=rota, lawyer=lawyers[(shift, days)], shift=shift, days=days)
    return lawyers


def test_the_duty_lawyer_comes_from_the_rota_at_the_time_of_the_call(hotline_rota):
    working, rest = _day(True), _day(False)
    assert duty_lawyer_at(_at(working, 10)) == hotline_rota[("day", "working")]
    assert duty_lawyer_at(_at(rest, 10)) == hotline_rota[("day", "rest")]
    assert duty_lawyer_at(_at(working, 21)) == hotline_rota[("night", "")]
    # 02:00 belongs to the night that began the evening before
    assert duty_lawyer_at(_at(rest, 2)) == hotline_rota[("night", "")]


def _call(handler, **overrides):
    values = {
        "caller_name": "",
        "caller_phone": "13969001234",
        "service": "legal_aid",
        "topic": "labour",
        "question": "老板拖欠工资怎么办？",
        "answer": "可以申请劳动仲裁，也可以申请法律援助。",
        "duration_seconds": 300,
        "handled_by": handler,
    }
    values.update(overrides)
    return record_consultation(**values)


def test_a_call_records_its_duty_lawyer_and_topic(laixi_staff, hotline_rota):
    call = _call(laixi_staff, handled_at=_at(_day(True), 10), service="notary", topic="labour")
    assert call.duty_lawyer == hotline_rota[("day", "working")]
    assert (call.service, call.topic) == ("notary", "")


def test_a_legal_aid_call_needs_its_category(laixi_staff):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        _call(laixi_staff, topic="")
    assert not Consultation.objects.exists()


def test_a_survey_answer_appears_in_the_statistics(
    client, laixi_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call = _call(laixi_staff)
    sms = Notification.objects.get(key=f"legal_aid:call_survey:{call.reference}")
    assert sms.address == "13969001234" and "/legal-aid/survey/" in sms.link
    # anyone with the link answers, without signing in
    page = client.get(sms.link)
    assert page.status_code == 200 and "满意" in page.content.decode()
    response = client.post(sms.link, {"score": "3"})
    assert response.status_code == 200
    call.refresh_from_db()
    assert call.survey_score == 3 and call.survey_answered_at is not None
    # once
    client.post(sms.link, {"score": "1"})
    call.refresh_from_db()
    assert call.survey_score == 3
    survey = statistics()["survey"]
    assert (survey["sent"], survey["answered"], survey["satisfied_pct"]) == (1, 1, 100.0)
    assert {row["score"]: row["calls"] for row in survey["answers"]} == {3: 1, 2: 0, 1: 0}
    client.force_login(laixi_staff)
    page = client.get("/legal-aid/statistics/", HTTP_ACCEPT_LANGUAGE="en")
    assert "1 surveys sent, 1 answered; 100.0 % satisfied" in page.content.decode()


def test_an_altered_survey_link_is_refused(client, laixi_staff):
    call = _call(laixi_staff)
    link = survey_link(call)
    assert client.get(link[:-3] + "xyz/").status_code == 404
    assert client.post(link, {"score": "9"}).status_code == 400
    call.refresh_from_db()
    assert call.survey_score is None
