"""The workflow: every step, who may take it, the shared log, urgent aid-first, objections,
materials asked once, lapsing."""

import datetime

import pytest
from django.utils import timezone

from legal_aid import reminders
from legal_aid.models import LegalAidApplication, State
from legal_aid.services import take
from portal.workflow import Invalid, NotAllowed, Refused

from . import factories as f

pytestmark = pytest.mark.django_db


def _reviewing(citizen, staff, **overrides):
    app = f.submit(citizen, **overrides)
    return take(app.reference, "start_review", staff)


def test_each_transition_is_logged_with_who_when_from_to_and_note(citizen, laixi_staff):
    app = _reviewing(citizen, laixi_staff)
    take(app.reference, "refuse", laixi_staff, reasons="收入高于标准")
    event = f.log(app).last()
    assert (event.workflow, event.step, event.source, event.target) == (
        "legal_aid",
        "refuse",
        "under_review",
        "refused",
    )
    assert event.by == laixi_staff and event.by_role == "staff"
    assert event.note == "收入高于标准"
    assert abs((timezone.now() - event.at).total_seconds()) < 60


def test_materials_can_be_requested_only_once(citizen, laixi_staff):
    app = _reviewing(citizen, laixi_staff)
    take(app.reference, "request_materials", laixi_staff, items=["劳动合同", "工资条"])
    take(app.reference, "supply_materials", citizen, note="已补充")
    with pytest.raises(Refused) as error:
        take(app.reference, "request_materials", laixi_staff, items=["再要一份"])
    assert "once" in error.value.message or "一次" in error.value.message


def test_a_request_must_list_the_materials(citizen, laixi_staff):
    app = _reviewing(citizen, laixi_staff)
    with pytest.raises(Invalid):
        take(app.reference, "request_materials", laixi_staff, items=[])
    assert LegalAidApplication.objects.get(pk=app.pk).state == State.UNDER_REVIEW


def test_a_refusal_needs_reasons(citizen, laixi_staff):
    app = _reviewing(citizen, laixi_staff)
    with pytest.raises(Invalid):
        take(app.reference, "refuse", laixi_staff, reasons=" ")


def test_only_a_lawyer_of_the_centre_can_be_assigned(citizen, laixi_staff):
    other = f.lawyer("370202", name="外区律师", licence="13702201810000099")
    app = _reviewing(citizen, laixi_staff)
    take(app.reference, "grant", laixi_staff)
    with pytest.raises(Invalid):
        take(app.reference, "assign_lawyer", laixi_staff, lawyer=other)


def test_urgent_applications_are_granted_first_and_reviewed_after(
    citizen, laixi_staff, laixi_lawyer
):
    app = f.submit(citizen, urgency="preservation")
    app = take(app.reference, "grant_first", laixi_staff)
    assert app.state == State.GRANTED and app.aid_first
    take(app.reference, "assign_lawyer", laixi_staff, lawyer=laixi_lawyer)
    app = take(app.reference, "complete_review", laixi_staff, note="审查完毕，符合条件")
    assert app.review_completed_at is not None
    assert app.state == State.LAWYER_ASSIGNED
    with pytest.raises(Refused):
        take(app.reference, "complete_review", laixi_staff)


def test_a_non_urgent_application_cannot_be_granted_first(citizen, laixi_staff):
    app = f.submit(citizen)
    with pytest.raises(Refused):
        take(app.reference, "grant_first", laixi_staff)


def test_urgent_review_failing_terminates_aid(citizen, laixi_staff):
    app = f.submit(citizen, urgency="limitation", limitation_ends=f.days_ago(-2))
    take(app.reference, "grant_first", laixi_staff)
    app = take(app.reference, "terminate", laixi_staff, reasons="经审查不符合经济困难条件")
    assert app.state == State.TERMINATED


def test_objection_to_a_refusal_upheld(citizen, laixi_staff, laixi_bureau):
    app = _reviewing(citizen, laixi_staff)
    take(app.reference, "refuse", laixi_staff, reasons="收入高于标准")
    app = take(app.reference, "lodge_objection", citizen, text="我确实困难")
    assert app.state == State.OBJECTION_LODGED
    assert app.objection_due is not None
    app = take(
        app.reference, "decide_objection", laixi_bureau, decision="upheld", reasons="决定正确"
    )
    assert app.state == State.OBJECTION_DECIDED
    with pytest.raises(Refused):
        take(app.reference, "grant", laixi_staff)


def test_objection_overturned_lets_the_centre_grant(citizen, laixi_staff, laixi_bureau):
    app = _reviewing(citizen, laixi_staff)
    take(app.reference, "refuse", laixi_staff, reasons="收入高于标准")
    take(app.reference, "lodge_objection", citizen, text="我确实困难")
    take(app.reference, "decide_objection", laixi_bureau, decision="overturned", reasons="责令改正")
    app = take(app.reference, "grant", laixi_staff)
    assert app.state == State.GRANTED and app.decision == "granted"


def test_centre_staff_cannot_decide_an_objection(citizen, laixi_staff):
    app = _reviewing(citizen, laixi_staff)
    take(app.reference, "refuse", laixi_staff, reasons="收入高于标准")
    take(app.reference, "lodge_objection", citizen, text="不服")
    with pytest.raises(NotAllowed):
        take(app.reference, "decide_objection", laixi_staff, decision="upheld", reasons="x")


def test_the_applicant_withdraws_before_a_decision(citizen, laixi_staff):
    app = _reviewing(citizen, laixi_staff)
    assert take(app.reference, "withdraw", citizen).state == State.WITHDRAWN


def test_materials_not_supplied_in_time_lapse_in_the_daily_run(citizen, laixi_staff):
    app = _reviewing(citizen, laixi_staff)
    take(app.reference, "request_materials", laixi_staff, items=["劳动合同"])
    other = _reviewing(citizen, laixi_staff, phone="13969001235")
    take(other.reference, "request_materials", laixi_staff, items=["劳动合同"])
    LegalAidApplication.objects.filter(pk=app.pk).update(materials_due=f.days_ago(1))
    assert reminders.lapse_overdue_materials() == 1
    assert LegalAidApplication.objects.get(pk=app.pk).state == State.LAPSED
    assert LegalAidApplication.objects.get(pk=other.pk).state == State.MATERIALS_REQUESTED
    event = f.log(app).last()
    assert (event.step, event.source, event.target, event.by) == (
        "lapse",
        "materials_requested",
        "lapsed",
        None,
    )
    assert reminders.lapse_overdue_materials() == 0


def test_a_lapse_in_the_daily_run_is_told_to_the_applicant_like_one_taken_by_staff(
    citizen, laixi_staff, django_capture_on_commit_callbacks
):
    """Inbox for an account, SMS to the application's mobile: a person whose application was
    typed in at the counter has no account and hears of it by SMS."""
    from legal_aid.services import record_walk_in
    from portal.notifications.models import Notification

    online = _reviewing(citizen, laixi_staff)
    walk_in = record_walk_in(f.application_input(phone="13969005555"), staff=laixi_staff)
    take(walk_in.reference, "start_review", laixi_staff)
    for app in (online, walk_in):
        take(app.reference, "request_materials", laixi_staff, items=["劳动合同"])
    LegalAidApplication.objects.update(materials_due=f.days_ago(1))
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.lapse_overdue_materials() == 2
    lapsed = Notification.objects.filter(key__contains=":lapsed:")
    assert set(lapsed.values_list("channel", "address", "recipient")) == {
        ("inbox", "", citizen.pk),
        ("sms", "13969001234", None),
        ("sms", "13969005555", None),
    }
    assert all(online.reference in n.subject or walk_in.reference in n.subject for n in lapsed)


def test_the_daily_run_is_scheduled():
    from django_q.models import Schedule

    schedule = Schedule.objects.get(name="legal_aid.daily")
    assert schedule.func == "legal_aid.tasks.daily"
    assert schedule.schedule_type == Schedule.CRON


def test_the_daily_run_reminds_staff_of_overdue_applications(citizen, laixi_staff):
    from legal_aid import tasks
    from portal.notifications.models import Notification

    app = f.submit(citizen)
    LegalAidApplication.objects.filter(pk=app.pk).update(decision_due=f.days_ago(2))
    result = tasks.daily()
    assert result["reminders"] >= 1
    assert Notification.objects.filter(recipient=laixi_staff).exists()
    tasks.daily()  # idempotent: the same day's reminder is not sent twice
    assert Notification.objects.filter(recipient=laixi_staff, channel="inbox").count() == 1


def test_the_applicant_is_notified_of_a_decision(
    citizen, laixi_staff, django_capture_on_commit_callbacks
):
    from portal.notifications.models import Notification

    app = _reviewing(citizen, laixi_staff)
    with django_capture_on_commit_callbacks(execute=True):
        take(app.reference, "grant", laixi_staff)
    assert Notification.objects.filter(recipient=citizen, channel="inbox").exists()


def test_late_supply_after_lapse_is_a_conflict(citizen, laixi_staff):
    app = _reviewing(citizen, laixi_staff)
    take(app.reference, "request_materials", laixi_staff, items=["劳动合同"])
    LegalAidApplication.objects.filter(pk=app.pk).update(
        materials_due=timezone.localdate() - datetime.timedelta(days=1)
    )
    reminders.lapse_overdue_materials()
    with pytest.raises(Refused):
        take(app.reference, "supply_materials", citizen, note="晚了")


def test_an_application_sent_from_an_english_page_is_told_in_chinese_by_sms_and_in_english_inbox(
    citizen, django_capture_on_commit_callbacks
):
    from django.utils import translation

    from portal.notifications.models import Notification

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        app = f.submit(citizen)
    sms = Notification.objects.get(key=f"legal_aid:{app.reference}:submitted:sms")
    inbox = Notification.objects.get(key=f"legal_aid:{app.reference}:submitted:inbox")
    assert "received" not in sms.subject and app.reference in sms.subject
    assert inbox.subject == sms.subject
    assert inbox.translations["en"]["subject"] == f"Legal-aid application {app.reference} received"
    with translation.override("en"):
        assert inbox.subject_text == f"Legal-aid application {app.reference} received"
        assert "A decision is due by" in inbox.body_text


def test_a_step_taken_on_an_english_page_is_logged_in_chinese_and_read_in_english(
    citizen, laixi_staff, client, django_capture_on_commit_callbacks
):
    """The portal's own note (the materials asked for) is in the record in Chinese whatever
    the staff member's language, and the applicant reads it, and the notice quoting it, in
    the language of their page."""
    from django.urls import reverse
    from django.utils import translation

    from portal.notifications.models import Notification

    app = _reviewing(citizen, laixi_staff)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        take(app.reference, "request_materials", laixi_staff, items=["劳动合同"])
    event = f.log(app).last()
    assert event.note == "一次性告知补充材料：劳动合同"
    assert event.note_translations["en"] == "Materials requested (all at once): 劳动合同"

    client.force_login(citizen)
    url = reverse("legal_aid:application", args=[app.reference])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'Materials requested (all at once): <span lang="zh-CN">劳动合同</span>' in english
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert event.note in chinese and "Materials requested" not in chinese

    notice = Notification.objects.get(recipient=citizen, key__contains=":request_materials:")
    assert "Materials requested" not in notice.body
    with translation.override("en"):
        assert "Materials requested (all at once): 劳动合同" in notice.body_text


def test_the_decision_letters_default_reasons_are_in_chinese_whatever_the_staff_language(
    citizen, laixi_staff
):
    from django.utils import translation

    app = _reviewing(citizen, laixi_staff)
    with translation.override("en"):
        take(app.reference, "grant", laixi_staff)
    app.refresh_from_db()
    assert app.decision_reasons == "申请人符合法律援助条件。"
