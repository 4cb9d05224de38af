"""The one engine: :func:`run` takes a step of a declared workflow on one record."""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.languages import other_languages

from .declare import Step, Workflow
from .errors import Invalid, NotAllowed, NotFound, NotNow
from .registry import get

logger = logging.getLogger(__name__)

# Sent after commit for every step taken: sender is the model class; ``workflow``, ``step``,
# ``obj`` and ``log`` come along.
step_done = Signal()

DEFAULT_MESSAGES = {
    "not_now": gettext_lazy("%(subject)s is now “%(state)s”: “%(step)s” is no longer possible."),
    "not_allowed": gettext_lazy("You may not take the step “%(step)s” on %(subject)s."),
    "not_found": gettext_lazy("There is no such record."),
}


@dataclass
class Context:
    """What an effect gets besides the record: who, the note, the step's inputs, the time."""

    step: Step
    user: Any
    note: str
    data: dict[str, Any]
    now: datetime.datetime
    source: str
    log_data: dict[str, Any] = field(default_factory=dict)
    #: ``replay(insert=True)``: the record is walked before its first insert, so no row refers to
    #: it yet and an effect need not look for one (an open offer of a case not yet stored)
    unsaved: bool = False
    #: shared by every step of one replay (a fresh dict for a live step): what no step of the
    #: replay changes, an effect may look up once (whether a centre allocates by a rota)
    memo: dict[Any, Any] = field(default_factory=dict)

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    def invalid(self, name: str, message: str) -> Invalid:
        """The refusal for a missing or bad input ``name``."""
        return Invalid(message, {name: [message]}, step=self.step.name)


def _workflow(workflow: Workflow | str) -> Workflow:
    return get(workflow) if isinstance(workflow, str) else workflow


def _message(workflow: Workflow, key: str, **values: Any) -> str:
    template = workflow.messages.get(key) or DEFAULT_MESSAGES[key]
    return str(template) % values


def _locked(workflow: Workflow, obj_or_key: Any):
    model = workflow.model_class()
    if isinstance(obj_or_key, models.Model):
        lookup, key = "pk", obj_or_key.pk
    else:
        lookup, key = workflow.lookup, obj_or_key
    queryset = model.objects.select_related(*workflow.select_related)
    if connection.features.has_select_for_update_of:
        queryset = queryset.select_for_update(of=("self",))
    else:
        queryset = queryset.select_for_update()
    return queryset.filter(**{lookup: key}).first()


def state_of(workflow: Workflow, obj: Any) -> str:
    return getattr(obj, workflow.field)


def refusal(workflow: Workflow | str, obj: Any, step_name: str, user: Any, data=None):
    """The :class:`Refused` that :func:`run` would raise for ``step_name`` now, or None
    (checks the state, who, and the condition; not the inputs or the effect)."""
    workflow = _workflow(workflow)
    step = workflow.step(step_name)
    if step is None:
        return NotFound(_("Unknown step."), "unknown_step", step=step_name)
    state = state_of(workflow, obj)
    values = {
        "subject": workflow.subject(obj),
        "state": workflow.state_label(state),
        "step": step.label,
    }
    codes = workflow.codes
    if state not in step.source:
        return NotNow(_message(workflow, "not_now", **values), codes.get("not_now"), step=step.name)
    if not step.who(user, obj):
        return NotAllowed(
            _message(workflow, "not_allowed", **values), codes.get("not_allowed"), step=step.name
        )
    if step.condition is not None:
        message = step.condition(obj, dict(data or {}))
        if message:
            return NotNow(str(message), step.refusal_code, step=step.name)
    return None


def available_steps(workflow: Workflow | str, obj: Any, user: Any) -> list[Step]:
    """The steps ``user`` may take on ``obj`` now, in the table's order (for the buttons)."""
    workflow = _workflow(workflow)
    return [s for s in workflow.steps if refusal(workflow, obj, s.name, user) is None]


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, default=str))


def run(
    workflow: Workflow | str,
    obj_or_key: Any,
    step_name: str,
    *,
    user: Any = None,
    note: str = "",
    **data: Any,
):
    """Take ``step_name`` on the record: lock its row, check the state, who and the condition,
    run the effect, save the new state, write the log, and after commit send the step's notices
    and :data:`step_done`. ``user=None`` is the system. Returns the record (the locked copy).

    Raises :class:`~portal.workflow.Refused` (a subclass) when the step cannot be taken."""
    workflow = _workflow(workflow)
    step = workflow.step(step_name)
    if step is None:
        raise NotFound(_("Unknown step."), "unknown_step", step=step_name)
    given = {name: data[name] for name in step.inputs if name in data}
    with transaction.atomic():
        obj = _locked(workflow, obj_or_key)
        if obj is None:
            raise NotFound(_message(workflow, "not_found"), step=step.name)
        refused = refusal(workflow, obj, step.name, user, given)
        if refused is not None:
            raise refused
        source = state_of(workflow, obj)
        ctx = Context(
            step=step, user=user, note=note or "", data=given, now=timezone.now(), source=source
        )
        chosen = step.effect(obj, ctx) if step.effect is not None else None
        target = chosen or step.targets[0]
        if target not in step.targets:
            raise ValueError(f"{workflow.name}.{step.name} chose {target!r}")
        setattr(obj, workflow.field, target)
        obj.save()
        log = write_log(
            workflow,
            obj,
            step.name,
            source=source,
            target=target,
            user=user,
            note=ctx.note,
            data={**given, **ctx.log_data},
            at=ctx.now,
        )
        transaction.on_commit(partial(_after_commit, workflow, step, obj, log), robust=True)
    return obj


def _after_commit(workflow: Workflow, step: Step, obj: Any, log: Any) -> None:
    for notice in step.notices:
        try:
            notice(obj, log)
        except Exception:  # a notice never undoes a committed step
            logger.exception("notice of %s.%s failed (log %s)", workflow.name, step.name, log.pk)
    step_done.send(type(obj), workflow=workflow, step=step.name, obj=obj, log=log)


def _is_user(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def write_log(
    workflow: Workflow | str,
    obj: Any,
    step: str,
    *,
    source: str,
    target: str,
    user: Any = None,
    note: str = "",
    data: dict[str, Any] | None = None,
    at: datetime.datetime | None = None,
    role: str | None = None,
):
    """One row of the shared log (also for entries outside the steps, e.g. a submission)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import WorkflowLog

    workflow = _workflow(workflow)
    if role is None:
        role = workflow.role_of(user, obj) if workflow.role_of else ("" if user else "system")
    return WorkflowLog.objects.create(
        workflow=workflow.name,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        step=step,
        source=source or "",
        target=target,
        by=user if _is_user(user) else None,
        by_role=role,
        at=at or timezone.now(),
        note=note or "",
        note_translations=other_languages(note),
        data=_jsonable(data or {}),
    )


def log_of(obj: Any):
    """A record's rows of the shared log, oldest first, with who took each step."""
    from django.contrib.contenttypes.models import ContentType

    from .models import WorkflowLog

    return (
        WorkflowLog.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        .select_related("by")
        .order_by("at", "id")
    )


def write_log_bulk(
    workflow: Workflow | str,
    model: type[models.Model],
    ids: Iterable[int],
    step: str,
    *,
    source: str | Sequence[str],
    target: str,
    note: str = "",
) -> int:
    """Log a set-based system step (one UPDATE over many rows) in the same log."""
    from django.contrib.contenttypes.models import ContentType

    from .models import WorkflowLog

    workflow = _workflow(workflow)
    content_type = ContentType.objects.get_for_model(model)
    sources = [source] if isinstance(source, str) else list(source)
    now = timezone.now()
    translations = other_languages(note)
    rows = [
        WorkflowLog(
            workflow=workflow.name,
            content_type=content_type,
            object_id=pk,
            step=step,
            source=sources[0] if len(sources) == 1 else "",
            target=target,
            by_role="system",
            at=now,
            note=note,
            note_translations=translations,
        )
        for pk in ids
    ]
    WorkflowLog.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
