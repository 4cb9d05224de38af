"""Who sees and changes cases (approvals/access.py), on every channel: the worklists, the case
page, the API and the admin; the staff bindings to acceptance points; names without invisible
characters (issue 11)."""

import pytest
from django.core.exceptions import ValidationError

from approvals import services
from approvals.access import CasePolicy, PointStaffPolicy
from approvals.models import AcceptancePoint, Case, PointStaff
from approvals.selectors import cases_for_applicant, staff_cases, visible_case
from portal.access import policy_for, visible
from portal.accounts.models import Role
from portal.accounts.roles import sync_user_groups
from portal.models import PersonalDataView
from portal.workflow import Refused
from portal.workflow.models import WorkflowLog
from tests.factories import UserFactory

from .helpers import apply


def admin_user(**kwargs):
    user = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, **kwargs)
    sync_user_groups(user)
    return user


def with_groups(user):
    sync_user_groups(user)
    return user


@pytest.fixture
def shinan_case(world):
    return apply(world, point=world.shinan_hall)


def test_the_policy_is_registered_for_every_model_of_the_app():
    assert isinstance(policy_for(Case), CasePolicy)
    assert isinstance(policy_for(PointStaff), PointStaffPolicy)


def test_each_sees_the_cases_they_work_and_their_own(world, shinan_case):
    seen = {
        name: set(visible(getattr(world, name), Case).values_list("pk", flat=True))
        for name in ("citizen", "other_citizen", "shinan_staff", "yantai_staff", "dept_staff")
    }
    assert seen["citizen"] == {shinan_case.pk}
    assert seen["shinan_staff"] == {shinan_case.pk}  # its point received it
    assert seen["dept_staff"] == {shinan_case.pk}  # its department decides it
    assert seen["other_citizen"] == set()
    assert seen["yantai_staff"] == set()
    assert visible(admin_user(), Case).filter(pk=shinan_case.pk).exists()
    # The one-record check agrees with the set.
    for name, rows in seen.items():
        user = getattr(world, name)
        assert CasePolicy().can_view(user, shinan_case) == (shinan_case.pk in rows), name


def test_lists_and_the_case_page_follow_the_policy(world, shinan_case):
    assert list(cases_for_applicant(world.citizen)) == [shinan_case]
    assert list(staff_cases(world.shinan_staff, scope="point", status="all")) == [shinan_case]
    assert list(staff_cases(world.yantai_staff, scope="point", status="all")) == []
    assert list(staff_cases(world.dept_staff, scope="department", status="all")) == [shinan_case]
    assert visible_case(shinan_case.reference, world.yantai_staff) is None
    assert visible_case(shinan_case.reference, world.shinan_staff) == shinan_case


def test_yantai_staff_neither_finds_nor_changes_a_qingdao_case_in_the_admin(
    world, client, shinan_case
):
    yantai = with_groups(world.yantai_staff)
    client.force_login(yantai)
    listing = client.get("/admin/approvals/case/")
    assert listing.status_code == 200
    assert f"/admin/approvals/case/{shinan_case.pk}/change/" not in listing.content.decode()
    url = f"/admin/approvals/case/{shinan_case.pk}/change/"
    assert client.get(url).status_code in (302, 404)  # "does not exist", like any other
    assert client.post(url, {"applicant_name": "改名"}).status_code == 403
    assert Case.objects.get(pk=shinan_case.pk).applicant_name == "王小明"


def test_staff_who_work_the_case_see_it_read_only_with_full_data_and_the_view_is_logged(
    world, client, shinan_case
):
    client.force_login(with_groups(world.shinan_staff))
    url = f"/admin/approvals/case/{shinan_case.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert shinan_case.applicant_id_number in body
    assert 'name="applicant_name"' not in body  # read-only
    assert PersonalDataView.objects.filter(
        user=world.shinan_staff, object_id=str(shinan_case.pk), channel="admin"
    ).exists()
    assert client.post(url, {"applicant_name": "改名"}).status_code == 403
    assert Case.objects.get(pk=shinan_case.pk).applicant_name == "王小明"


def test_an_administrator_sees_the_case_masked_and_cannot_change_or_delete_it(
    world, client, shinan_case
):
    client.force_login(admin_user())
    listing = client.get("/admin/approvals/case/").content.decode()
    assert shinan_case.reference in listing
    assert shinan_case.applicant_id_number not in listing
    page = client.get(f"/admin/approvals/case/{shinan_case.pk}/change/").content.decode()
    assert shinan_case.applicant_id_number not in page
    assert shinan_case.applicant_mobile not in page
    client.post(
        "/admin/approvals/case/",
        {"action": "delete_selected", "_selected_action": [shinan_case.pk], "post": "yes"},
    )
    assert Case.objects.filter(pk=shinan_case.pk).exists()


def test_a_superuser_changes_a_case_by_hand_but_not_to_an_invisible_name(
    world, client, shinan_case
):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    url = f"/admin/approvals/case/{shinan_case.pk}/change/"
    data = {
        "item": shinan_case.item_id,
        "channel": shinan_case.channel,
        "accepting_point": shinan_case.accepting_point_id,
        "department": shinan_case.department_id,
        "applicant_kind": "person",
        "applicant_name": "王小\u202e明",
        "applicant_id_number": shinan_case.applicant_id_number,
        "applicant_mobile": shinan_case.applicant_mobile,
        "applicant_user": shinan_case.applicant_user_id,
        "reasons": "",
        "delivery": "{}",
        "note": "",
    }
    for prefix in ("materials", "hand_offs", "workflow-workflowlog-content_type-object_id"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "U+202E" in response.content.decode()
    response = client.post(url, {**data, "applicant_name": "王晓明"})
    assert response.status_code == 302
    assert Case.objects.get(pk=shinan_case.pk).applicant_name == "王晓明"
    # The case's own log says who corrected what.
    log = WorkflowLog.objects.get(case=shinan_case, step="edited_by_hand")
    assert log.by == root and log.note == "applicant_name"


def test_applicant_names_with_invisible_characters_are_refused(world):
    from .factories import make_resident_id

    with pytest.raises(ValidationError) as refused:
        services.submit_case(
            item=world.item,
            applicant_kind="person",
            applicant_id_number=make_resident_id(1),
            applicant_name="王\u202e小明",
            channel="online",
            accepting_point=world.shinan_hall,
        )
    assert "applicant_name" in refused.value.message_dict
    assert not Case.objects.exists()


# ----- staff bindings ------------------------------------------------------------------------


def test_department_staff_cannot_bind_themselves_to_a_point(world, client):
    """The finding: housing_staff bound itself to another point's staff, then worked its cases."""
    reviewer = with_groups(world.dept_staff)
    client.force_login(reviewer)
    response = client.post(
        "/admin/approvals/pointstaff/add/", {"user": reviewer.pk, "point": world.yantai_hall.pk}
    )
    assert response.status_code == 403
    binding = PointStaff.objects.get(user=world.yantai_staff)
    response = client.post(
        f"/admin/approvals/pointstaff/{binding.pk}/change/",
        {"user": reviewer.pk, "point": world.yantai_hall.pk},
    )
    assert response.status_code in (403, 302)
    assert not PointStaff.objects.filter(user=reviewer).exists()
    assert PointStaff.objects.get(pk=binding.pk).user_id == world.yantai_staff.pk


def test_an_administrator_binds_others_but_not_themselves_and_the_history_keeps_it(world, client):
    boss = admin_user(username="boss")
    client.force_login(boss)
    url = "/admin/approvals/pointstaff/add/"
    response = client.post(url, {"user": boss.pk, "point": world.yantai_hall.pk})
    assert response.status_code == 200  # the form again: not yourself
    assert not PointStaff.objects.filter(user=boss).exists()
    newcomer = UserFactory(username="newcomer", is_staff=True)
    response = client.post(url, {"user": newcomer.pk, "point": world.yantai_hall.pk})
    assert response.status_code == 302
    binding = PointStaff.objects.get(user=newcomer)
    assert binding.history.get().history_user == boss
    # Nor may an administrator move their own binding (made by somebody else).
    own = PointStaff.objects.create(user=boss, point=world.shinan_hall)
    assert not PointStaffPolicy().can_change(boss, own)
    assert not PointStaffPolicy().can_delete(boss, own)


def test_acceptance_points_keep_their_history(world, client):
    boss = admin_user(username="boss")
    client.force_login(boss)
    point = world.shinan_hall
    point.name = "市南区政务服务大厅（新址）"
    point._history_user = boss
    point.save()
    assert AcceptancePoint.history.filter(id=point.pk).count() >= 1
    page = client.get(f"/admin/approvals/acceptancepoint/{point.pk}/history/")
    assert page.status_code == 200


def test_a_submitted_case_of_a_point_is_worked_only_by_that_point(world, shinan_case):
    with pytest.raises(Refused):
        services.transition(shinan_case.pk, "accept", user=world.yantai_staff)
    services.transition(shinan_case.pk, "accept", user=world.shinan_staff)
