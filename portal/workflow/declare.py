"""How a state machine is declared: one :class:`Workflow` table of :class:`State` and
:class:`Step` rows (modelled on Amsterdam Signals' ``workflow.py``).

A table names no engine: :func:`portal.workflow.run` reads it. Predicates, conditions, effects
and notices are plain functions of the domain app (its ``access.py`` / ``permissions.py`` and
services), so a table reads in one screen and every rule has one home.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any

from django.utils.functional import Promise

Label = str | Promise

# Tones of a state's badge (CSS classes badge-ok, badge-warn, badge-alert).
TONES = ("ok", "warn", "alert")


@dataclass(frozen=True)
class State:
    """One state: its stored value, its label and how it is shown."""

    value: str
    label: Label
    tone: str = "warn"
    final: bool = False

    def __post_init__(self) -> None:
        if self.tone not in TONES:
            raise ValueError(f"state {self.value}: tone {self.tone!r} is not one of {TONES}")


@dataclass(frozen=True)
class Step:
    """One step (transition) of a workflow.

    - ``source``: the states it may be taken from; ``target``: the state it leads to, or a tuple
      of states when the effect chooses (it then returns one of them);
    - ``who(user, obj) -> bool``: who may take it (``user`` is None for the system);
    - ``condition(obj, data) -> str | None``: None when it may be taken now, else the refusal
      text (a button whose condition fails is not offered);
    - ``inputs``: the names of the data it takes (anything else given is ignored);
    - ``effect(obj, ctx) -> str | None``: a service function run inside the transaction, before
      the new state is saved (it may raise :class:`~portal.workflow.Refused`, set ``ctx.note``
      for the log, or return the target when ``target`` is a tuple);
    - ``notice(obj, log)``: run after commit (a callable or a tuple of them).
    """

    name: str
    source: Sequence[str]
    target: str | tuple[str, ...]
    who: Callable[[Any, Any], bool]
    label: Label
    condition: Callable[[Any, dict], str | None] | None = None
    inputs: tuple[str, ...] = ()
    effect: Callable[[Any, Any], str | None] | None = None
    notice: Callable[[Any, Any], None] | tuple[Callable[[Any, Any], None], ...] | None = None
    refusal_code: str = "condition"

    @property
    def targets(self) -> tuple[str, ...]:
        return self.target if isinstance(self.target, tuple) else (self.target,)

    @property
    def notices(self) -> tuple[Callable[[Any, Any], None], ...]:
        if self.notice is None:
            return ()
        return self.notice if isinstance(self.notice, tuple) else (self.notice,)


@dataclass(frozen=True)
class Workflow:
    """A state machine on ``model``'s ``field`` (a django-fsm ``FSMField``).

    ``records`` labels log entries written outside the steps (e.g. ``submit`` when the record
    is created); ``role_of(user, obj)`` names the role a user acts in, for the log; ``lookup``
    is the field :func:`run` finds a record by when given a key instead of an instance;
    ``messages`` overrides the refusal texts (``not_now``, ``not_allowed``, ``not_found``; they
    may use ``%(subject)s``, ``%(state)s`` and ``%(step)s``) and ``codes`` their codes (for a
    workflow whose API published other codes before the kernel); ``subject(obj)`` names the
    record in them."""

    name: str
    model: str
    states: tuple[State, ...]
    steps: tuple[Step, ...]
    field: str = "status"
    lookup: str = "pk"
    select_related: tuple[str, ...] = ()
    records: dict[str, Label] = default(default_factory=dict)
    role_of: Callable[[Any, Any], str] | None = None
    roles: dict[str, Label] = default(default_factory=dict)
    subject: Callable[[Any], str] = str
    messages: dict[str, Label] = default(default_factory=dict)
    codes: dict[str, str] = default(default_factory=dict)

    def __post_init__(self) -> None:
        values = [s.value for s in self.states]
        names = [s.name for s in self.steps]
        if len(set(values)) != len(values) or len(set(names)) != len(names):
            raise ValueError(f"workflow {self.name}: a state or step is declared twice")
        for step in self.steps:
            for state in (*step.source, *step.targets):
                if state not in values:
                    raise ValueError(f"workflow {self.name}: step {step.name} names {state!r}")

    # ----- reading the table -----------------------------------------------------------------

    @property
    def initial(self) -> str:
        return self.states[0].value

    def state(self, value: str) -> State | None:
        return next((s for s in self.states if s.value == value), None)

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def role_label(self, value: str) -> Label:
        """How a log row names the role ``role_of`` gave (``roles``; else the value)."""
        return self.roles.get(value, value)

    def state_label(self, value: str) -> Label:
        state = self.state(value)
        return state.label if state else value

    def step_label(self, name: str) -> Label:
        step = self.step(name)
        if step is not None:
            return step.label
        return self.records.get(name, name)

    def steps_from(self, value: str) -> list[Step]:
        return [s for s in self.steps if value in s.source]

    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)
