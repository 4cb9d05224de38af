"""How to walk each registered workflow's steps (used by test_walk.py): for a step and one of
its from-states, a record in that state, a user who may take the step (None: the system), one
who may not, and the step's inputs. Every workflow in the registry needs an entry here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from portal.workflow import Step


@dataclass
class Walk:
    obj: Any
    allowed: Any
    refused: Any
    data: dict[str, Any] = field(default_factory=dict)
    note: str = "walked"


WALKS: dict[str, Callable[[Step, str], Walk]] = {}


def walk(name: str):
    """Register the walk builder of the workflow ``name``."""

    def register(builder: Callable[[Step, str], Walk]) -> Callable[[Step, str], Walk]:
        WALKS[name] = builder
        return builder

    return register
