"""Write docs/workflows/<name>.md, a Mermaid diagram of every declared workflow."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from portal.workflow.diagrams import diagram_path, render
from portal.workflow.registry import all_workflows


class Command(BaseCommand):
    help = "Draw every workflow table as a Mermaid state diagram under docs/workflows/."

    def handle(self, *args, **options) -> None:
        for workflow in all_workflows():
            path = diagram_path(workflow)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(render(workflow), encoding="utf-8")
            self.stdout.write(f"{path}")
