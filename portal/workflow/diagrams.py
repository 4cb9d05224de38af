"""Mermaid state diagrams drawn from the tables, committed under docs/workflows/."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.utils import translation

from .declare import Workflow

HEADER = (
    "<!-- Generated from the workflow table by `make diagrams` "
    "(manage.py workflow_diagrams); do not edit. -->"
)


def diagram_path(workflow: Workflow) -> Path:
    return Path(settings.BASE_DIR) / "docs" / "workflows" / f"{workflow.name}.md"


def render(workflow: Workflow) -> str:
    """The Markdown page of one workflow: its states, its steps and the diagram."""
    with translation.override("en"):
        lines = [
            HEADER,
            f"# Workflow `{workflow.name}` ({workflow.model}.{workflow.field})",
            "",
            "```mermaid",
            "stateDiagram-v2",
            f"    [*] --> {workflow.initial}",
        ]
        for step in workflow.steps:
            for source in step.source:
                for target in step.targets:
                    lines.append(f"    {source} --> {target}: {step.name}")
        lines += [f"    {s.value} --> [*]" for s in workflow.states if s.final]
        lines += ["```", "", "| state | label | tone | final |", "|---|---|---|---|"]
        lines += [
            f"| `{s.value}` | {s.label} | {s.tone} | {'yes' if s.final else ''} |"
            for s in workflow.states
        ]
        lines += ["", "| step | from | to | label | inputs |", "|---|---|---|---|---|"]
        lines += [
            f"| `{s.name}` | {', '.join(s.source)} | {' or '.join(s.targets)} | {s.label} "
            f"| {', '.join(s.inputs)} |"
            for s in workflow.steps
        ]
    return "\n".join(lines) + "\n"
