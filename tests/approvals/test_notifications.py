"""Applicants hear about their case only after the transaction commits, and only once."""

import pytest

from approvals import services
from portal.notifications.models import Notification
from portal.workflow import Refused

from .helpers import apply


def test_notification_after_commit_and_idempotent(world, django_capture_on_commit_callbacks):
    case = apply(world, point=world.shinan_hall)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.transition(case.pk, "accept", user=world.shinan_staff)
        assert not Notification.objects.filter(subject__contains=case.reference).exists()
    assert callbacks, "the notification waits for the commit"
    for callback in callbacks:
        callback()
    for callback in callbacks:  # a retry sends nothing twice
        callback()
    sent = Notification.objects.filter(subject__contains=case.reference)
    assert sorted(sent.values_list("channel", flat=True)) == ["inbox", "sms"]
    inbox = sent.get(channel="inbox")
    assert inbox.recipient == world.citizen and inbox.link == case.get_absolute_url()
    assert sent.get(channel="sms").address == "13900000001"


def test_refused_transition_sends_nothing(world, django_capture_on_commit_callbacks):
    case = apply(world, point=world.shinan_hall)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Refused),
    ):
        services.transition(case.pk, "approve", user=world.dept_staff)
    assert not Notification.objects.exists()
