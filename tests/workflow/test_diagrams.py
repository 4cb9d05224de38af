"""The committed diagrams in docs/workflows/ are drawn from the tables: this test fails when a
table changed and its diagram was not redrawn (`make diagrams`)."""

from __future__ import annotations

import pytest

from portal.workflow.diagrams import diagram_path, render
from portal.workflow.registry import all_workflows


@pytest.mark.parametrize("workflow", all_workflows(), ids=lambda w: w.name)
def test_the_committed_diagram_matches_the_table(workflow):
    path = diagram_path(workflow)
    assert path.exists(), f"{path} is missing: run `make diagrams`"
    assert path.read_text(encoding="utf-8") == render(workflow), (
        f"{path} is stale: run `make diagrams` and commit it"
    )
