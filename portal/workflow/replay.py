"""Histories taken through the tables in bulk: :func:`replay` walks many records through
recorded steps (demo data, imports from an older system, benchmark data) with the same checks
and effects as :func:`~portal.workflow.run`, and writes the records and the shared log in bulk.

What differs from :func:`run`, and why:

- each step is taken at the time it was recorded (``Move.at``), so the effects compute dates and
  deadlines as they were then;
- the records are not locked and are saved once, after their walks, with ``bulk_update`` of
  the fields the effects changed (thousands of records in seconds); effects therefore must not
  read their own record's row back from the database (none does: they get the record);
- no notices and no :data:`~portal.workflow.step_done`: a replayed history is not news. A
  consumer that keeps figures of its own from the steps (rollups) rebuilds them after a replay.

A move the table refuses (wrong state, wrong person, condition, bad inputs) raises the refusal
with the record and the step named, and, inside the caller's transaction, nothing is written.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Max

from portal.languages import other_languages

from .declare import Workflow
from .engine import Context, _is_user, _jsonable, _workflow, refusal, state_of
from .errors import NotFound, Refused


@dataclass(frozen=True)
class Move:
    """One recorded step of a record's history: the step (or a record the table declares in
    ``records``, e.g. ``submit``), when, by whom (None: the system), the note and the inputs."""

    step: str
    at: datetime.datetime
    user: Any = None
    note: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    role: str | None = None  # only for a record outside the steps, e.g. a walk-in submission


class ReplayRefused(Refused):
    """A recorded move the table does not allow; names the record and the move."""


def _refused(workflow: Workflow, obj: Any, move: Move, why: Refused) -> ReplayRefused:
    return ReplayRefused(
        f"{workflow.name} {workflow.subject(obj)}: {move.step} at {move.at:%Y-%m-%d %H:%M} "
        f"by {move.user or 'the system'}: "
        f"{why.message}",
        why.code,
        step=move.step,
    )


def _values(obj: models.Model, names: Sequence[str]) -> tuple:
    return tuple(getattr(obj, name) for name in names)


def _role(workflow: Workflow, move: Move, obj: Any) -> str:
    if move.role is not None:
        return move.role
    if workflow.role_of:
        return workflow.role_of(move.user, obj)
    return "" if move.user else "system"


def _walk(
    workflow: Workflow,
    obj: Any,
    moves: Sequence[Move],
    content_type,
    logs: list,
    *,
    unsaved: bool = False,
    memo: dict | None = None,
) -> None:
    from .models import WorkflowLog

    for move in moves:
        step = workflow.step(move.step)
        source = state_of(workflow, obj)
        note, log_data = move.note, dict(move.data)
        if step is None:
            if move.step not in workflow.records:
                raise _refused(workflow, obj, move, NotFound("unknown step", "unknown_step"))
            source, target = "", source
        else:
            given = {name: move.data[name] for name in step.inputs if name in move.data}
            refused = refusal(workflow, obj, step.name, move.user, given)
            if refused is not None:
                raise _refused(workflow, obj, move, refused)
            ctx = Context(
                step=step, user=move.user, note=note, data=given, now=move.at, source=source,
                unsaved=unsaved, memo=memo if memo is not None else {},
            )  # fmt: skip
            try:
                chosen = step.effect(obj, ctx) if step.effect is not None else None
            except Refused as why:
                raise _refused(workflow, obj, move, why) from why
            target = chosen or step.targets[0]
            setattr(obj, workflow.field, target)
            note, log_data = ctx.note, {**given, **ctx.log_data}
        role = _role(workflow, move, obj)
        logs.append(
            WorkflowLog(
                workflow=workflow.name,
                content_type=content_type,
                object_id=obj.pk,
                step=move.step,
                source=source,
                target=target,
                by=move.user if _is_user(move.user) else None,
                by_role=role,
                at=move.at,
                note=note or "",
                note_translations=other_languages(note),
                data=_jsonable(log_data) if log_data else {},
            )
        )


def replay(
    workflow: Workflow | str,
    walks: Iterable[tuple[models.Model, Sequence[Move]]],
    *,
    insert: bool = False,
    batch_size: int = 1000,
) -> int:
    """Walk each record through its moves, in order, and write the records and the log rows in
    bulk. Returns the number of log rows written.

    ``insert=False``: the records are saved (e.g. ``bulk_create``-d in their first state); their
    changed fields are saved with ``bulk_update``. ``insert=True``: the records are new and
    unsaved; they get their ids first (from the table's sequence), are walked in memory and
    inserted once, in their last state (much faster for tens of thousands); rows an effect reads
    by the record's id must then be written before (foreign keys are checked at commit)."""
    from django.contrib.contenttypes.models import ContentType

    from .models import WorkflowLog

    workflow = _workflow(workflow)
    model = workflow.model_class()
    content_type = ContentType.objects.get_for_model(model)
    logs: list = []
    written = 0
    with transaction.atomic():
        if insert:
            walks = list(walks)
            _give_ids(model, [obj for obj, _moves in walks])
            memo: dict = {}
            for obj, moves in walks:
                _walk(workflow, obj, moves, content_type, logs, unsaved=True, memo=memo)
            model.objects.bulk_create([obj for obj, _moves in walks], batch_size=batch_size)
        else:
            written = _walk_saved(workflow, model, walks, content_type, logs, batch_size)
        WorkflowLog.objects.bulk_create(logs, batch_size=batch_size)
    return written + len(logs)


def _walk_saved(workflow, model, walks, content_type, logs: list, batch_size: int) -> int:
    from .models import WorkflowLog

    names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
    changed: dict[frozenset[str], list[models.Model]] = defaultdict(list)
    written = 0
    memo: dict = {}
    for obj, moves in walks:
        if obj.pk is None:
            raise ValueError("replay() without insert=True walks saved records")
        before = _values(obj, names)
        _walk(workflow, obj, moves, content_type, logs, memo=memo)
        after = _values(obj, names)
        fields = frozenset(
            n for n, old, new in zip(names, before, after, strict=True) if old != new
        )
        if fields:
            changed[fields].append(obj)
        if len(logs) >= 20 * batch_size:
            WorkflowLog.objects.bulk_create(logs, batch_size=batch_size)
            written += len(logs)
            logs.clear()
    for fields, objs in changed.items():
        model.objects.bulk_update(objs, sorted(_field_names(model, fields)), batch_size=batch_size)
    return written


def _give_ids(model: type[models.Model], objs: list[models.Model]) -> None:
    """Ids for new records, taken from the table's sequence as an insert would take them."""
    if any(obj.pk is not None for obj in objs):
        raise ValueError("replay(insert=True) walks new, unsaved records")
    if not objs:
        return
    pk = model._meta.pk
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [model._meta.db_table, pk.column, len(objs)],
            )
            ids = [row[0] for row in cursor.fetchall()]
    else:  # SQLite: one writer at a time; AUTOINCREMENT moves past explicit ids
        first = (model._default_manager.aggregate(last=Max("pk"))["last"] or 0) + 1
        ids = list(range(first, first + len(objs)))
    for obj, value in zip(objs, ids, strict=True):
        obj.pk = value


def _field_names(model: type[models.Model], attnames: frozenset[str]) -> set[str]:
    by_attname = {f.attname: f.name for f in model._meta.concrete_fields}
    return {by_attname[a] for a in attnames}
