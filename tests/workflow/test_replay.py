"""Bulk histories through the tables (``portal.workflow.replay``): the same checks and effects as
``run()``, at the recorded times, saved and logged in bulk, no notices; a move the table refuses
writes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from portal import workflow
from portal.workflow import Move
from portal.workflow.models import WorkflowLog
from tests.factories import UserFactory

from .test_kernel import SEEN_NOTICES, TOY, follow_up, staff  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


THEN = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))


def test_replay_takes_each_move_at_its_time_and_logs_it(follow_up, staff):  # noqa: F811
    SEEN_NOTICES.clear()
    later = THEN + datetime.timedelta(days=3)
    written = workflow.replay(
        TOY,
        [
            (
                follow_up,
                [
                    Move("resolve", THEN, staff, "called back"),
                    Move("reopen", later, staff),
                    Move("resolve", later + datetime.timedelta(hours=1), staff, "done"),
                ],
            )
        ],
    )
    assert written == 3
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.resolution_note) == ("resolved", "done")
    rows = list(WorkflowLog.objects.order_by("at", "id"))
    assert [(r.step, r.source, r.target, r.by, r.by_role, r.at) for r in rows] == [
        ("resolve", "open", "resolved", staff, "staff", THEN),
        ("reopen", "resolved", "open", staff, "staff", later),
        ("resolve", "open", "resolved", staff, "staff", later + datetime.timedelta(hours=1)),
    ]
    assert rows[0].data == {"len": 11}
    assert SEEN_NOTICES == []  # a replayed history is not news


@pytest.mark.parametrize(
    ("moves", "says"),
    [
        (lambda by: [Move("reopen", THEN, by)], "no longer possible"),
        (lambda by: [Move("resolve", THEN, UserFactory(), "x")], "may not"),
        (lambda by: [Move("resolve", THEN, by)], "Say why."),
        (lambda by: [Move("resolve", THEN, by, "x", {"ok": False})], "Not ok."),
        (lambda by: [Move("fly", THEN, by)], "unknown step"),
    ],
)
def test_a_move_the_table_refuses_writes_nothing(follow_up, staff, moves, says):  # noqa: F811
    with pytest.raises(workflow.ReplayRefused) as exc:
        workflow.replay(TOY, [(follow_up, moves(staff))])
    assert says in exc.value.message and f"Follow-up {follow_up.pk}" in exc.value.message
    follow_up.refresh_from_db()
    assert follow_up.status == "open"
    assert not WorkflowLog.objects.exists()
