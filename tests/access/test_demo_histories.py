"""The demo writes thousands of records' histories through ``portal.workflow.replay`` (each step
checked against its table and its effect run at its time, written in bulk); this test reads them
back from the shared log and checks each is a walk of its table (each step declared, taken from
a state it allows, to a state it leads to, starting where the previous one ended) that ends in
the state the record is in, so neither the demo nor a change to the replay can write a history
the workflow could never produce. Entries outside the steps (a submission, a system opening, a
correction by hand) are those the table declares in ``records``.

It lives beside the access matrix to share its ``world`` (tests/access/conftest.py): the full
demo, loaded once for both (the actors the matrix adds write their histories through the same
kernel, so they are checked too)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from portal.workflow.models import WorkflowLog
from portal.workflow.registry import all_workflows

pytestmark = pytest.mark.django_db


def _illegal(workflow, rows, state) -> str | None:
    current = None
    for row in rows:
        step = workflow.step(row.step)
        if step is None:
            if row.step not in workflow.records:
                return f"{row.step}: neither a step nor a declared record"
        else:
            if current is not None and row.source != current:
                return f"{row.step} from {row.source!r}, but the record was {current!r}"
            if row.source not in step.source:
                return f"{row.step} is not taken from {row.source!r}"
            if row.target not in step.targets:
                return f"{row.step} does not lead to {row.target!r}"
        current = row.target
    if current is not None and current != state:
        return f"the log ends in {current!r}, the record is {state!r}"
    return None


def test_every_demo_history_is_a_walk_of_its_workflow(world):
    checked, problems = 0, []
    for workflow in all_workflows():
        rows = defaultdict(list)
        for row in WorkflowLog.objects.filter(workflow=workflow.name).order_by("at", "id"):
            rows[row.object_id].append(row)
        if not rows:
            continue
        model = next(iter(rows.values()))[0].content_type.model_class()
        states = dict(model.objects.filter(pk__in=list(rows)).values_list("pk", workflow.field))
        for object_id, history in rows.items():
            checked += 1
            problem = _illegal(workflow, history, states.get(object_id))
            if problem:
                problems.append(f"{workflow.name} {object_id}: {problem}")
    assert checked > 1000
    assert not problems, f"{len(problems)} impossible histories, e.g.:\n" + "\n".join(problems[:15])
