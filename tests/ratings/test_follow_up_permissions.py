"""Only staff of the follow-up's department, or an administrator, may resolve it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from portal.accounts.models import Role
from portal.ratings import selectors, services
from portal.ratings.models import FollowUpStatus
from portal.workflow import NotAllowed, NotNow
from portal.workflow.models import WorkflowLog
from tests.factories import DepartmentFactory, ServiceItemFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def follow_up():
    case = ServiceItemFactory()
    rating = services.rate(
        subject=case, user=UserFactory(), score=1, comment="等了很久", department=case.department
    )
    return rating.follow_up


@pytest.mark.parametrize(
    "role",
    [
        Role.CITIZEN,
        Role.COMPANY_HANDLER,
        Role.OUTLET_MANAGER,
        Role.LEGAL_AID_STAFF,
        Role.DEPARTMENT_STAFF,  # of another department
    ],
)
def test_no_one_outside_the_department_may_resolve(follow_up, role):
    outsider = UserFactory(role=role, department=DepartmentFactory())
    with pytest.raises(NotAllowed):
        services.resolve_follow_up(follow_up, user=outsider, note="已处理")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN
    assert not selectors.follow_ups_for(outsider).filter(pk=follow_up.pk).exists()


def test_the_citizen_who_rated_cannot_resolve(follow_up):
    with pytest.raises(NotAllowed):
        services.resolve_follow_up(follow_up, user=follow_up.rating.user, note="ok")


def test_staff_of_the_department_resolves_and_it_is_logged(follow_up):
    staff = UserFactory(role=Role.DEPARTMENT_STAFF, department=follow_up.department)
    assert selectors.follow_ups_for(staff).filter(pk=follow_up.pk).exists()
    services.resolve_follow_up(follow_up, user=staff, note="已电话回访并致歉")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.RESOLVED
    assert follow_up.resolved_by == staff
    assert follow_up.resolution_note == "已电话回访并致歉"
    log = WorkflowLog.objects.get(object_id=follow_up.pk, workflow="follow_up")
    assert (log.step, log.source, log.target, log.by) == ("resolve", "open", "resolved", staff)
    assert log.note == "已电话回访并致歉"


def test_administrator_may_resolve_any(follow_up):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    services.resolve_follow_up(follow_up, user=admin, note="督办完成")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.RESOLVED


def test_second_resolution_gets_a_clear_message(follow_up):
    staff = UserFactory(role=Role.DEPARTMENT_STAFF, department=follow_up.department)
    services.resolve_follow_up(follow_up, user=staff, note="first")
    with pytest.raises(NotNow, match="already resolved") as exc:
        services.resolve_follow_up(follow_up.pk, user=staff, note="second")
    assert exc.value.code == "already_resolved"


def test_a_note_is_required(follow_up):
    staff = UserFactory(role=Role.DEPARTMENT_STAFF, department=follow_up.department)
    with pytest.raises(ValidationError):
        services.resolve_follow_up(follow_up, user=staff, note="  ")


def test_admin_shows_staff_only_their_departments_follow_ups(client, follow_up):
    other_department_staff = UserFactory(
        role=Role.DEPARTMENT_STAFF, department=DepartmentFactory(), is_staff=True
    )
    from portal.accounts.services import assign_role

    assign_role(other_department_staff, Role.DEPARTMENT_STAFF, other_department_staff.department)
    client.force_login(other_department_staff)
    url = f"/admin/ratings/followup/{follow_up.pk}/change/"
    response = client.post(url, {"resolution_note": "越权处理"})
    assert response.status_code in (302, 404)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN

    own_staff = UserFactory(role=Role.DEPARTMENT_STAFF, department=follow_up.department)
    assign_role(own_staff, Role.DEPARTMENT_STAFF, follow_up.department)
    client.force_login(own_staff)
    listing = client.get("/admin/ratings/followup/")
    assert listing.status_code == 200
    response = client.post(url, {"resolution_note": "已回访"})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.RESOLVED
    assert follow_up.resolved_by == own_staff
