"""Every step of every registered workflow, from each of its from-states, through run(): a
user who may not take it is refused and nothing is logged; one who may takes it, the record is
in the new state and the shared log has the row (who, from, to, step)."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from portal import workflow
from portal.workflow.models import WorkflowLog

from . import walks_all  # noqa: F401  (fills WALKS)
from .walks import WALKS

pytestmark = pytest.mark.django_db


def _every_step():
    for table in workflow.all_workflows():
        for step in table.steps:
            for source in step.source:
                yield pytest.param(table, step, source, id=f"{table.name}.{step.name}.{source}")


@pytest.mark.parametrize(("table", "step", "source"), list(_every_step()))
def test_step(table, step, source):
    builder = WALKS.get(table.name)
    assert builder is not None, f"tests/workflow: add a walk for the workflow {table.name}"
    walked = builder(step, source)
    obj = walked.obj
    type(obj).objects.filter(pk=obj.pk).update(**{table.field: source})
    logs = WorkflowLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, step=step.name
    )
    with pytest.raises(workflow.NotAllowed):
        workflow.run(table, obj, step.name, user=walked.refused, note=walked.note, **walked.data)
    assert not logs.exists()
    done = workflow.run(table, obj, step.name, user=walked.allowed, note=walked.note, **walked.data)
    log = logs.get()
    assert log.workflow == table.name
    assert log.source == source
    assert log.target in step.targets
    assert log.by == walked.allowed
    obj.refresh_from_db()
    assert getattr(obj, table.field) == getattr(done, table.field) == log.target


def test_every_workflow_has_a_walk():
    missing = [t.name for t in workflow.all_workflows() if t.name not in WALKS]
    assert not missing, f"no walk for {missing}"
