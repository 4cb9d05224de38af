"""The daily scan of acceptance with materials to follow: cases past the materials deadline with
a material still missing are flagged for staff, and their applicants reminded once."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals import services, tasks
from approvals.models import Case, Status
from portal.notifications.models import Notification

from .factories import material
from .helpers import act, apply

PDF = b"%PDF-1.4\n%%EOF\n"
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def owed(world):
    world.item.missing_materials_allowed = True
    world.item.save()
    world.lease = material(world.item, "场地使用证明")
    return world


def to_follow(world, due: datetime.date, user=None) -> Case:
    """A case accepted with the lease to follow, due on ``due``."""
    case = apply(world, point=world.shinan_hall, user=user)
    act(case, "accept_with_missing_materials", world.shinan_staff)
    Case.objects.filter(pk=case.pk).update(materials_due_on=due)
    return case


def flagged() -> set[int]:
    return set(Case.objects.filter(materials_overdue_on__isnull=False).values_list("pk", flat=True))


def reminders(case) -> list[Notification]:
    return list(Notification.objects.filter(key__startswith=f"case-{case.pk}-materials-overdue"))


def test_late_cases_are_flagged_and_their_applicants_reminded(owed):
    late = to_follow(owed, TODAY - datetime.timedelta(days=1))
    due_today = to_follow(owed, TODAY)
    supplied_late = to_follow(owed, TODAY - datetime.timedelta(days=3))
    services.add_material(
        supplied_late, owed.lease, SimpleUploadedFile("证明.pdf", PDF), user=owed.citizen
    )
    accepted = apply(owed, point=owed.shinan_hall)
    Case.objects.filter(pk=accepted.pk).update(
        status=Status.ACCEPTED, materials_due_on=TODAY - datetime.timedelta(days=9)
    )

    result = services.scan_missing_materials(TODAY)

    assert flagged() == {late.pk}
    assert Case.objects.get(pk=late.pk).materials_overdue_on == TODAY
    assert result["materials_flagged"] == 1
    sent = reminders(late)
    assert {n.channel for n in sent} == {"inbox", "sms"}
    inbox = next(n for n in sent if n.channel == "inbox")
    assert inbox.recipient == owed.citizen and late.reference in inbox.subject
    assert "场地使用证明" in inbox.body
    assert not reminders(due_today) and not reminders(supplied_late)


def test_the_applicant_is_reminded_only_once(owed):
    late = to_follow(owed, TODAY - datetime.timedelta(days=1))
    services.scan_missing_materials(TODAY)
    again = services.scan_missing_materials(TODAY)
    later = services.scan_missing_materials(TODAY + datetime.timedelta(days=1))
    assert again["materials_reminders"] == 0 and later["materials_reminders"] == 0
    assert later["materials_flagged"] == 0
    assert len(reminders(late)) == 2  # one inbox message, one text message
    assert Case.objects.get(pk=late.pk).materials_overdue_on == TODAY


def test_walk_in_applicant_without_an_account_gets_a_text_message(owed):
    late = to_follow(owed, TODAY - datetime.timedelta(days=1), user=None)
    Case.objects.filter(pk=late.pk).update(applicant_user=None)
    services.scan_missing_materials(TODAY)
    assert [n.channel for n in reminders(late)] == ["sms"]


def test_the_flag_clears_when_the_materials_are_supplied(owed):
    late = to_follow(owed, TODAY - datetime.timedelta(days=1))
    services.scan_missing_materials(TODAY)
    services.add_material(late, owed.lease, SimpleUploadedFile("证明.pdf", PDF), user=owed.citizen)
    act(late, "supply_materials", owed.citizen)
    assert flagged() == set()
    # a flag left on a case that moved on otherwise (e.g. a data fix) is cleared by the scan
    other = to_follow(owed, TODAY - datetime.timedelta(days=1))
    Case.objects.filter(pk=other.pk).update(materials_overdue_on=TODAY, status=Status.WITHDRAWN)
    assert services.scan_missing_materials(TODAY)["materials_cleared"] == 1
    assert flagged() == set()


def scan_queries(today: datetime.date) -> int:
    with CaptureQueriesContext(connection) as captured:
        services.scan_missing_materials(today)
    return len(captured)


def test_the_scan_runs_a_fixed_number_of_statements(owed, django_assert_max_num_queries):
    for _ in range(2):
        to_follow(owed, TODAY - datetime.timedelta(days=1))
    few = scan_queries(TODAY)
    for _ in range(12):
        to_follow(owed, TODAY - datetime.timedelta(days=1))
    tomorrow = TODAY + datetime.timedelta(days=1)
    many = scan_queries(tomorrow)
    assert Case.objects.filter(materials_overdue_on=tomorrow).count() == 12
    # two UPDATEs, the SELECT, the notification keys' look-up and one INSERT (+ savepoints)
    assert many == few <= 9
    with django_assert_max_num_queries(8):
        services.scan_missing_materials(tomorrow + datetime.timedelta(days=1))


def test_staff_see_the_flag_and_can_list_only_those(owed, client, django_assert_max_num_queries):
    late = to_follow(owed, TODAY - datetime.timedelta(days=1))
    on_time = to_follow(owed, TODAY + datetime.timedelta(days=3))
    services.scan_missing_materials(TODAY)
    client.force_login(owed.dept_staff)
    with django_assert_max_num_queries(9):
        page = client.get("/cases/staff/", {"materials_overdue": "on"}).content.decode()
    assert late.reference in page and on_time.reference not in page
    assert page.count('class="badge badge-alert"') == 1
    everything = client.get("/cases/staff/").content.decode()
    assert late.reference in everything and on_time.reference in everything
    assert everything.count('class="badge badge-alert"') == 1


def test_the_daily_task_runs_both_scans(owed):
    to_follow(owed, datetime.date(2020, 1, 6))
    result = tasks.daily_deadlines()
    assert result["materials_flagged"] == 1 and "marked_overdue" in result


def test_the_acceptance_record_reads_in_the_applicants_language(owed, client):
    """Staff working in English accept with materials to follow: the case's record says so in
    Chinese, and the applicant reads it in English on the English page and API."""
    from django.utils import translation

    with translation.override("en"):
        case = to_follow(owed, TODAY)
    log = case.transitions.get(step="accept_with_missing_materials")
    assert "场地使用证明" in log.note and "Accepted without" not in log.note
    assert log.note_translations["en"].startswith("Accepted without: 场地使用证明;")

    client.force_login(owed.citizen)
    page = client.get(f"/cases/{case.reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'Accepted without: <span lang="zh-CN">场地使用证明</span>;' in page
    api = client.get(f"/api/v1/cases/{case.reference}/", HTTP_ACCEPT_LANGUAGE="en").json()
    [row] = [r for r in api["timeline"] if r["action"] == "accept_with_missing_materials"]
    assert row["note"].startswith("Accepted without: 场地使用证明;")
    chinese = client.get(f"/api/v1/cases/{case.reference}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "Accepted without" not in chinese.content.decode()
