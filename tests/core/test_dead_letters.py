"""Failed tasks (the dead letters of the task queue, issue 19): administrators see them in the
admin with their error and send them back to the queue; other staff do not see them."""

from __future__ import annotations

import uuid
from unittest import mock

import pytest
from django.utils import timezone
from django_q.models import Failure, Task

from portal.accounts.models import Role
from portal.accounts.services import assign_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/admin/django_q/failure/"


def failed_task() -> Task:
    now = timezone.now()
    return Task.objects.create(
        id=uuid.uuid4().hex,
        name="proactive-send-42",
        func="approvals.proactive.tasks.send_offers",
        args=([42],),
        kwargs={},
        started=now,
        stopped=now,
        result="DeliveryError: gateway answered HTTP 503",
        success=False,
        attempt_count=5,
    )


def test_an_administrator_sees_a_failed_task_and_resubmits_it(client):
    task = failed_task()
    admin = UserFactory(username="city_admin")
    assign_role(admin, Role.ADMINISTRATOR)
    client.force_login(admin)
    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "proactive-send-42" in html and "approvals.proactive.tasks.send_offers" in html

    with mock.patch("django_q.admin.async_task") as queued:
        done = client.post(
            URL, {"action": "resubmit_task", "_selected_action": [task.pk], "index": 0}
        )
    assert done.status_code == 302
    queued.assert_called_once()
    assert queued.call_args.args == ("approvals.proactive.tasks.send_offers", [42])
    assert not Failure.objects.filter(pk=task.pk).exists()  # back in the queue, off the list


def test_other_staff_do_not_see_the_failed_tasks(client):
    failed_task()
    clerk = UserFactory(username="legal_aid_clerk")
    assign_role(clerk, Role.LEGAL_AID_STAFF)
    client.force_login(clerk)
    assert client.get(URL).status_code == 403
