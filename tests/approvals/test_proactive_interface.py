"""The interface the proactive approvals app builds on."""

import pytest
from django_fsm.signals import post_transition

from approvals import services
from approvals.models import Case, Channel, Status

from .factories import make_uscc


def test_open_proactive_case_is_accepted_online_and_logged(world):
    case = services.open_proactive_case(
        item=world.item,
        applicant_kind="company",
        applicant_id_number=make_uscc(7),
        applicant_name="青岛海晨建设有限公司",
        materials=[{"kind": "shared", "name": "营业执照", "shared_record": "LIC-0001"}],
        delivery={"address": "青岛市市南区香港中路1号"},
    )
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED
    assert case.channel == Channel.PROACTIVE
    assert case.accepting_point.code == "QD-ONLINE"
    assert case.department == world.shinan_dept
    assert case.due_on is not None
    assert case.reference.startswith("QD") and len(case.reference) == 17
    assert [(t.action, t.by_role) for t in case.transitions.all()] == [("open_proactive", "system")]
    assert case.materials.get().shared_record == "LIC-0001"


def test_system_drives_a_proactive_case_to_closed_and_signal_fires(world):
    seen = []

    def listener(sender, instance, name, source, target, **kwargs):
        seen.append((name, instance.channel))

    post_transition.connect(listener, sender=Case)
    try:
        case = services.open_proactive_case(
            item=world.item,
            applicant_kind="company",
            applicant_id_number=make_uscc(8),
            applicant_name="青岛海晨建设有限公司",
        )
        for action in ("start_review", "approve", "issue_result", "deliver", "close"):
            services.transition(case.pk, action, user=None)
    finally:
        post_transition.disconnect(listener, sender=Case)
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert ("approve", "proactive") in seen
    assert case.transitions.filter(by_role="system").count() == 6


def test_system_cannot_approve_an_ordinary_case(world):
    from .helpers import act, apply

    case = apply(world, point=world.shinan_hall, channel=Channel.ONLINE)
    act(case, "accept", world.shinan_staff)
    act(case, "start_review", world.dept_staff)
    with pytest.raises(services.TransitionRefused) as exc:
        services.transition(case.pk, "approve", user=None)
    assert exc.value.code == "forbidden"
