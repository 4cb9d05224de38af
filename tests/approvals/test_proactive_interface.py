"""The interface the proactive approvals app builds on."""

import pytest

from approvals import services
from approvals.models import Case, Channel, Status
from approvals.signals import case_approved
from portal.workflow import Refused

from .factories import make_uscc


def test_a_case_opened_on_the_proactive_channel_is_accepted_online_and_logged(world):
    case = services.open_case_on_channel(
        channel=Channel.PROACTIVE,
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
    assert [(t.action, t.by_role) for t in case.transitions.all()] == [("open", "system")]
    assert case.materials.get().shared_record == "LIC-0001"


def test_system_drives_a_proactive_case_to_closed_and_case_approved_is_sent_after_commit(
    world, django_capture_on_commit_callbacks
):
    seen = []

    def listener(sender, case, **kwargs):
        seen.append((case.status, case.channel))

    case_approved.connect(listener, sender=Case)
    try:
        case = services.open_case_on_channel(
            channel=Channel.PROACTIVE,
            item=world.item,
            applicant_kind="company",
            applicant_id_number=make_uscc(8),
            applicant_name="青岛海晨建设有限公司",
        )
        services.transition(case.pk, "start_review", user=None)
        with django_capture_on_commit_callbacks(execute=False) as approval:
            services.transition(case.pk, "approve", user=None)
        assert seen == []  # not before commit
        for callback in approval:
            callback()
        for action in ("issue_result", "deliver", "close"):
            services.transition(case.pk, action, user=None)
    finally:
        case_approved.disconnect(listener, sender=Case)
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert seen == [("approved", "proactive")]
    assert case.transitions.filter(by_role="system").count() == 6


def test_system_cannot_approve_an_ordinary_case(world):
    from .helpers import act, apply

    case = apply(world, point=world.shinan_hall, channel=Channel.ONLINE)
    act(case, "accept", world.shinan_staff)
    act(case, "start_review", world.dept_staff)
    with pytest.raises(Refused) as exc:
        services.transition(case.pk, "approve", user=None)
    assert exc.value.code == "forbidden"
