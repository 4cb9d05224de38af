"""The workflow kernel: every state machine of the portal declared once as a table
(:mod:`.declare`), taken a step at a time by one locked :func:`run`, refused with one
:class:`Refused`, logged in one :class:`~portal.workflow.models.WorkflowLog`.

See docs/adr/0095-workflow-kernel.md and the diagrams in docs/workflows/."""

from .declare import State, Step, Workflow
from .engine import (
    Context,
    available_steps,
    log_of,
    refusal,
    run,
    step_done,
    write_log,
    write_log_bulk,
)
from .errors import Invalid, NotAllowed, NotFound, NotNow, Refused
from .registry import all_workflows, for_object, get, register
from .replay import Move, ReplayRefused, replay

__all__ = [
    "Context",
    "Invalid",
    "Move",
    "NotAllowed",
    "NotFound",
    "NotNow",
    "Refused",
    "ReplayRefused",
    "State",
    "Step",
    "Workflow",
    "all_workflows",
    "available_steps",
    "for_object",
    "get",
    "log_of",
    "refusal",
    "register",
    "replay",
    "run",
    "step_done",
    "write_log",
    "write_log_bulk",
]
