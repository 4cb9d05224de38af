"""The workflows the apps declare, by name; each app registers its tables when its
``AppConfig.ready()`` imports them."""

from __future__ import annotations

from typing import Any

from .declare import Workflow

_WORKFLOWS: dict[str, Workflow] = {}


def register(workflow: Workflow) -> Workflow:
    """Add ``workflow`` (once per name; registering the same table again is harmless)."""
    known = _WORKFLOWS.get(workflow.name)
    if known is not None and known is not workflow and known.model != workflow.model:
        raise ValueError(f"two workflows are called {workflow.name}")
    _WORKFLOWS[workflow.name] = workflow
    return workflow


def get(name: str) -> Workflow:
    return _WORKFLOWS[name]


def all_workflows() -> list[Workflow]:
    return sorted(_WORKFLOWS.values(), key=lambda w: w.name)


def for_object(obj: Any) -> Workflow | None:
    """The workflow of a model instance (or class), if it has one."""
    label = obj._meta.label
    return next((w for w in _WORKFLOWS.values() if w.model == label), None)
