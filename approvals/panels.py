"""What other apps show on a case's page (the applicant's and staff's alike), registered in their
``AppConfig.ready()`` as the core registry's item panels are (ADR 0091): a template included
with the page's context (``case``, ``is_applicant``, ``request``...). Proactive approvals add the
certificate, its documents and the courier's tracking; cases do not know who adds what."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CasePanel:
    template: str
    order: int = 100


_panels: list[CasePanel] = []


def add_case_panel(template: str, *, order: int = 100) -> None:
    global _panels
    _panels = [p for p in _panels if p.template != template]
    _panels.append(CasePanel(template, order))


def case_panels() -> list[str]:
    return [p.template for p in sorted(_panels, key=lambda p: p.order)]
