import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from portal.accounts import services
from portal.accounts.models import Role
from portal.accounts.permissions import (
    can_act_for_department,
    is_administrator,
    is_department_staff,
)
from portal.accounts.roles import group_name
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_role_has_a_group():
    names = set(Group.objects.values_list("name", flat=True))
    assert {group_name(role) for role in Role.values} <= names


def test_department_staff_group_may_change_follow_ups_but_not_users():
    group = Group.objects.get(name=group_name(Role.DEPARTMENT_STAFF))
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "change_followup" in codenames
    assert "view_serviceitem" in codenames
    assert "change_user" not in codenames
    admins = Group.objects.get(name=group_name(Role.ADMINISTRATOR))
    assert admins.permissions.filter(codename="change_user").exists()
    assert not Group.objects.get(name=group_name(Role.CITIZEN)).permissions.exists()


def _perms(role) -> set[str]:
    group = Group.objects.get(name=group_name(role))
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_domain_apps_grant_their_own_admin_permissions():
    """Each domain app registers what its roles may do in the admin (the core names none)."""
    managers = _perms(Role.OUTLET_MANAGER)
    assert {"outlets.change_outlet", "outlets.add_terminal"} <= managers
    assert not any(p.startswith(("legal_aid.", "approvals.", "proactive.")) for p in managers)
    legal_aid = _perms(Role.LEGAL_AID_STAFF)
    assert "legal_aid.change_legalaidapplication" in legal_aid
    assert "legal_aid.delete_legalaidapplication" not in legal_aid
    assert {"approvals.change_case", "proactive.view_offer"} <= _perms(Role.DEPARTMENT_STAFF)
    assert {"legal_aid.delete_centre", "outlets.delete_outlet", "proactive.add_proactiverule"} <= (
        _perms(Role.ADMINISTRATOR)
    )


def test_assign_role_sets_group_and_admin_access():
    user = UserFactory()
    department = DepartmentFactory()
    services.assign_role(user, Role.DEPARTMENT_STAFF, department)
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [group_name(Role.DEPARTMENT_STAFF)]
    assert user.has_perm("ratings.change_followup")
    services.assign_role(user, Role.CITIZEN)
    user = type(user).objects.get(pk=user.pk)
    assert not user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [group_name(Role.CITIZEN)]
    assert not user.has_perm("ratings.change_followup")


def test_department_staff_needs_a_department():
    with pytest.raises(ValidationError):
        services.assign_role(UserFactory(), Role.DEPARTMENT_STAFF)


@pytest.mark.parametrize(
    ("role", "own", "other", "admin"),
    [
        (Role.CITIZEN, False, False, False),
        (Role.COMPANY_HANDLER, False, False, False),
        (Role.OUTLET_MANAGER, False, False, False),
        (Role.LEGAL_AID_STAFF, False, False, False),
        (Role.DEPARTMENT_STAFF, True, False, False),
        (Role.ADMINISTRATOR, True, True, True),
    ],
)
def test_department_helpers_for_each_role(role, own, other, admin):
    mine, theirs = DepartmentFactory(), DepartmentFactory()
    user = UserFactory(role=role, department=mine)
    assert can_act_for_department(user, mine) is own
    assert can_act_for_department(user, theirs) is other
    assert is_administrator(user) is admin
    assert is_department_staff(user, mine) is (role == Role.DEPARTMENT_STAFF)
    assert is_department_staff(user, theirs) is False


def test_inactive_staff_has_no_rights():
    department = DepartmentFactory()
    user = UserFactory(role=Role.DEPARTMENT_STAFF, department=department, is_active=False)
    assert not is_department_staff(user, department)
