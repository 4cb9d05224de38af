"""Two people acting at once: one wins, the other gets a clear refusal (PostgreSQL, real rows
and real threads; SQLite serialises writers and has no row locks, so these tests skip there)."""

import threading

import pytest
from django.db import connection, connections

from approvals import services
from approvals.models import Case, Status
from portal.workflow import Refused
from portal.workflow.models import WorkflowLog

from .factories import department_staff
from .helpers import apply

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


def run_at_once(*calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, fn):
        try:
            barrier.wait()
            results[index] = ("ok", fn())
        except Exception as exc:  # noqa: BLE001  (the loser's refusal is the point)
            results[index] = ("error", exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, fn)) for i, fn in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_double_approval_yields_one_approval(world):
    case = apply(world, point=world.shinan_hall)
    services.transition(case.pk, "accept", user=world.shinan_staff)
    services.transition(case.pk, "start_review", user=world.dept_staff)
    second_reviewer = department_staff(world.shinan_dept, "second_reviewer")

    for attempt in range(3):  # several rounds, so a lucky schedule cannot hide a race
        if attempt:
            Case.objects.filter(pk=case.pk).update(status=Status.UNDER_REVIEW)
        results = run_at_once(
            lambda: services.transition(case.pk, "approve", user=world.dept_staff),
            lambda: services.transition(case.pk, "approve", user=second_reviewer),
        )
        outcomes = sorted(kind for kind, _ in results)
        assert outcomes == ["error", "ok"], results
        loser = next(value for kind, value in results if kind == "error")
        assert isinstance(loser, Refused)
        assert loser.code == "not_allowed_now"
    assert WorkflowLog.objects.filter(case=case, step="approve").count() == 3
    assert Case.objects.get(pk=case.pk).status == Status.APPROVED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_applications_get_distinct_references(world):
    results = run_at_once(*[lambda: apply(world, point=world.shinan_hall) for _ in range(8)])
    assert all(kind == "ok" for kind, _ in results), results
    references = [value.reference for _, value in results]
    assert len(set(references)) == 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_form_posted_twice_at_once_makes_one_case(world):
    """Two tabs (or a double click) sending the same form at the same moment: the unique
    submission key lets one insert; the other finds that case."""
    key = "same-form-" + "0" * 54
    results = run_at_once(
        *[lambda: apply(world, point=world.shinan_hall, submission_key=key) for _ in range(4)]
    )
    assert all(kind == "ok" for kind, _ in results), results
    assert len({value.pk for _, value in results}) == 1
    assert Case.objects.filter(submission_key=key).count() == 1
    assert Case.objects.count() == 1
