"""Every transition: who may take it (and who may not), and that it is logged."""

import pytest

from approvals import services
from approvals.models import Case, Channel, HandOff, Status
from portal.workflow import Refused
from portal.workflow.models import WorkflowLog

from .factories import material, put_on_list
from .helpers import apply

# action, source state, the role allowed (attribute of the world or "system"), extra data
CASES = [
    ("accept", Status.SUBMITTED, "point", {}),
    ("accept_with_missing_materials", Status.SUBMITTED, "point", {}),
    ("refuse", Status.SUBMITTED, "point", {"reasons": "材料不全且无法补正"}),
    ("return_for_correction", Status.SUBMITTED, "point", {"reasons": "身份证复印件不清晰"}),
    ("return_for_correction", Status.UNDER_REVIEW, "department", {"reasons": "平面图缺少尺寸"}),
    ("resubmit", Status.RETURNED_FOR_CORRECTION, "applicant", {}),
    ("supply_materials", Status.ACCEPTED_WITH_MISSING_MATERIALS, "applicant", {}),
    ("forward", Status.ACCEPTED, "point", {}),
    ("receive", Status.FORWARDED, "department", {}),
    ("start_review", Status.ACCEPTED, "department", {}),
    ("approve", Status.UNDER_REVIEW, "department", {}),
    ("reject", Status.UNDER_REVIEW, "department", {"reasons": "不符合选址要求"}),
    ("issue_result", Status.APPROVED, "department", {}),
    ("deliver", Status.RESULT_ISSUED, "system", {}),
    ("close", Status.DELIVERED, "system", {}),
    ("withdraw", Status.UNDER_REVIEW, "applicant", {}),
]

ROLE_USERS = {
    "point": "laoshan_staff",
    "department": "dept_staff",
    "applicant": "citizen",
}
# Roles that may take the action too: point staff resubmit or complete materials for a walk-in
# applicant without an account; staff may record delivery and closing.
ALSO_ALLOWED = {
    "resubmit": ("point",),
    "supply_materials": ("point",),
    "deliver": ("point", "department"),
    "close": ("point", "department"),
}
ROLE_LOG = {
    "point": "point_staff",
    "department": "department_staff",
    "applicant": "applicant",
    "system": "system",
}


def case_in(world, status: str, missing: bool = False) -> Case:
    """A city-wide case of the Shinan department accepted at the Laoshan hall, put in ``status``
    (hand-off needed: forward is possible from accepted; start_review needs a home point).
    With ``missing``, a required material of the item was not uploaded."""
    world.item.missing_materials_allowed = True
    world.item.save()
    put_on_list(world.item, "city_wide")
    if missing:
        material(world.item, "场地使用证明")
    case = apply(world, point=world.laoshan_hall)
    Case.objects.filter(pk=case.pk).update(status=status, returned_from=Status.UNDER_REVIEW)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(("action", "source", "role", "data"), CASES)
def test_only_the_named_role_may_take_the_transition_and_it_is_logged(
    world, action, source, role, data
):
    case = case_in(world, source, missing=action == "accept_with_missing_materials")
    if action == "start_review":  # only without a hand-off: accepted at the department's hall
        Case.objects.filter(pk=case.pk).update(accepting_point=world.shinan_hall)
        world.laoshan_staff = world.shinan_staff
    outsiders = [world.other_citizen, world.yantai_staff, world.city_staff]
    for name in ROLE_USERS:
        if name != role:
            outsiders.append(getattr(world, ROLE_USERS[name]))
    if role != "system" and action not in ("deliver", "close"):
        outsiders.append(None)  # the system may not act for a person
    also = ALSO_ALLOWED.get(action, ())
    for outsider in outsiders:
        if any(outsider is getattr(world, ROLE_USERS[r]) for r in also):
            continue
        with pytest.raises(Refused) as exc:
            services.transition(case.pk, action, user=outsider, **data)
        assert exc.value.code == "forbidden", (action, outsider)
    assert not WorkflowLog.objects.filter(case=case, step=action).exists()

    user = None if role == "system" else getattr(world, ROLE_USERS[role])
    services.transition(case.pk, action, user=user, note="按规定办理", **data)
    log = WorkflowLog.objects.get(case=case, step=action)
    assert log.source == source
    assert log.target == Case.objects.get(pk=case.pk).status != source
    assert log.by == user
    assert log.by_role == ROLE_LOG[role]
    assert log.at is not None and log.note


def test_staff_may_also_record_delivery(world):
    case = case_in(world, Status.RESULT_ISSUED)
    services.transition(case.pk, "deliver", user=world.dept_staff)
    assert WorkflowLog.objects.get(case=case, step="deliver").by_role == "department_staff"


def test_a_deactivated_department_member_may_no_longer_decide(world):
    case = case_in(world, Status.UNDER_REVIEW)
    world.dept_staff.is_active = False
    world.dept_staff.save(update_fields=["is_active"])
    with pytest.raises(Refused) as exc:
        services.transition(case.pk, "approve", user=world.dept_staff)
    assert exc.value.code == "forbidden"
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_REVIEW


def test_a_transition_from_the_wrong_state_is_refused_clearly(world):
    case = case_in(world, Status.CLOSED)
    with pytest.raises(Refused) as exc:
        services.transition(case.pk, "approve", user=world.dept_staff)
    assert exc.value.code == "not_allowed_now"
    assert case.reference in exc.value.message


def test_reasons_are_required_to_refuse_or_reject(world):
    case = case_in(world, Status.SUBMITTED)
    with pytest.raises(Refused) as exc:
        services.transition(case.pk, "refuse", user=world.laoshan_staff)
    assert exc.value.code == "invalid" and "reasons" in exc.value.errors
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_missing_materials_acceptance_only_where_the_item_allows_it(world):
    case = apply(world, point=world.shinan_hall)
    with pytest.raises(Refused) as exc:
        services.transition(case.pk, "accept_with_missing_materials", user=world.shinan_staff)
    assert exc.value.code == "not_allowed_now"


def test_forward_records_a_hand_off_and_receive_completes_it(world):
    case = case_in(world, Status.ACCEPTED)
    services.transition(case.pk, "forward", user=world.laoshan_staff)
    services.transition(case.pk, "receive", user=world.dept_staff)
    hand_off = HandOff.objects.get(case=case)
    assert (hand_off.sent_by, hand_off.received_by) == (world.laoshan_staff, world.dept_staff)
    assert hand_off.received_at >= hand_off.sent_at


def test_a_case_accepted_at_the_department_region_needs_no_forwarding(world):
    case = apply(world, point=world.shinan_hall, channel=Channel.ONLINE)
    services.transition(case.pk, "accept", user=world.shinan_staff)
    with pytest.raises(Refused):
        services.transition(case.pk, "forward", user=world.shinan_staff)
    services.transition(case.pk, "start_review", user=world.dept_staff)
    assert Case.objects.get(pk=case.pk).status == Status.UNDER_REVIEW
