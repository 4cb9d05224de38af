"""Commands of the outlets app: editing an outlet's draft list, importing it, publishing it.

Every command runs in one transaction and locks the rows it changes, so two managers working on
the same outlet at once never lose an edit nor publish two versions with the same number."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.catalogue.models import ServiceItem
from portal.tables import UnreadableTable, read_table

from . import hours as clock
from .models import ItemListEntry, ItemListVersion, Outlet, Terminal, VersionStatus
from .selectors import (
    Fate,
    Snapshot,
    can_manage,
    draft_of,
    latest_published,
    publication_plan,
)

TerminalThrough = ItemListEntry.terminals.through
MAX_IMPORT_ROWS = 5000
MAX_IMPORT_BYTES = 2 * 1024 * 1024  # the pages and the API refuse a larger file before reading it


def check_manager(user, outlet: Outlet) -> None:
    """Raise PermissionDenied unless ``user`` manages ``outlet``."""
    if not can_manage(user, outlet):
        raise PermissionDenied(_("You do not manage this outlet."))


# --- the draft ------


def _copy_entries(source: ItemListVersion | None, target: ItemListVersion) -> int:
    """Copy the entries (and their terminals) of ``source`` into the empty ``target`` in bulk."""
    if source is None:
        return 0
    rows = list(
        ItemListEntry.objects.filter(version=source).order_by("pk").values_list("pk", "item_id")
    )
    if not rows:
        return 0
    created = ItemListEntry.objects.bulk_create(
        [ItemListEntry(version=target, item_id=item_id) for _pk, item_id in rows],
        batch_size=2000,
    )
    if any(entry.pk is None for entry in created):  # a backend that returns no ids
        new_ids = dict(ItemListEntry.objects.filter(version=target).values_list("item_id", "pk"))
    else:
        new_ids = {entry.item_id: entry.pk for entry in created}
    old_to_item = dict(rows)
    links = TerminalThrough.objects.filter(itemlistentry__version=source).values_list(
        "itemlistentry_id", "terminal_id"
    )
    TerminalThrough.objects.bulk_create(
        [
            TerminalThrough(
                itemlistentry_id=new_ids[old_to_item[entry_id]], terminal_id=terminal_id
            )
            for entry_id, terminal_id in links
        ],
        batch_size=5000,
    )
    return len(rows)


@transaction.atomic
def get_or_create_draft(outlet: Outlet) -> ItemListVersion:
    """The outlet's draft; the first time, a copy of the latest published version."""
    Outlet.objects.select_for_update().filter(pk=outlet.pk).first()
    draft = draft_of(outlet)
    if draft is not None:
        return draft
    base = latest_published(outlet)
    draft = ItemListVersion.objects.create(outlet=outlet, status=VersionStatus.DRAFT, based_on=base)
    count = _copy_entries(base, draft)
    ItemListVersion.objects.filter(pk=draft.pk).update(entry_count=count)
    draft.entry_count = count
    return draft


def _lock_draft(outlet: Outlet) -> ItemListVersion:
    draft = get_or_create_draft(outlet)
    return ItemListVersion.objects.select_for_update().get(pk=draft.pk)


def _refresh_count(draft: ItemListVersion) -> None:
    ItemListVersion.objects.filter(pk=draft.pk).update(
        entry_count=ItemListEntry.objects.filter(version=draft).count(), updated_at=timezone.now()
    )


def _check_item(item: ServiceItem) -> None:
    if not item.self_service:
        raise ValidationError(
            {"item": _("%(code)s cannot be done at a self-service terminal.") % {"code": item.code}}
        )


def _terminals_of(outlet: Outlet, codes: Iterable[str]) -> list[Terminal]:
    codes = list(dict.fromkeys(codes))
    if not codes:
        return []
    found = {t.code: t for t in Terminal.objects.filter(outlet=outlet, code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError(
            {
                "terminals": _("Not a terminal of this outlet: %(codes)s")
                % {"codes": ", ".join(unknown)}
            }
        )
    return [found[c] for c in codes]


@transaction.atomic
def add_item(
    outlet: Outlet, item: ServiceItem, terminal_codes: Sequence[str] = (), *, user=None
) -> ItemListEntry:
    """Put ``item`` on the draft (or update its terminals if it is there already)."""
    if user is not None:
        check_manager(user, outlet)
    _check_item(item)
    terminals = _terminals_of(outlet, terminal_codes)
    draft = _lock_draft(outlet)
    entry, _created = ItemListEntry.objects.get_or_create(version=draft, item=item)
    entry.terminals.set(terminals)
    _refresh_count(draft)
    return entry


@transaction.atomic
def set_terminals(
    outlet: Outlet, item: ServiceItem, terminal_codes: Sequence[str], *, user=None
) -> ItemListEntry:
    """Limit the draft's ``item`` to some terminals (none: every terminal)."""
    if user is not None:
        check_manager(user, outlet)
    terminals = _terminals_of(outlet, terminal_codes)
    draft = _lock_draft(outlet)
    entry = ItemListEntry.objects.filter(version=draft, item=item).first()
    if entry is None:
        raise ValidationError({"item": _("%(code)s is not on the draft.") % {"code": item.code}})
    entry.terminals.set(terminals)
    ItemListVersion.objects.filter(pk=draft.pk).update(updated_at=timezone.now())
    return entry


@transaction.atomic
def remove_item(outlet: Outlet, item: ServiceItem, *, user=None) -> bool:
    """Take ``item`` off the draft; False if it was not there."""
    if user is not None:
        check_manager(user, outlet)
    draft = _lock_draft(outlet)
    deleted, _detail = ItemListEntry.objects.filter(version=draft, item=item).delete()
    _refresh_count(draft)
    return bool(deleted)


@transaction.atomic
def discard_draft(outlet: Outlet, *, user=None) -> None:
    """Throw the draft away; the next edit starts again from the latest published version."""
    if user is not None:
        check_manager(user, outlet)
    ItemListVersion.objects.filter(outlet=outlet, status=VersionStatus.DRAFT).delete()


# --- import ------


@dataclass(frozen=True)
class ImportRow:
    line: int
    code: str
    terminals: tuple[str, ...]


@dataclass(frozen=True)
class ImportProblem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("Line %(line)d, %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


class ImportRejected(ValidationError):
    """The file was refused as a whole; ``problems`` names every bad row."""

    def __init__(self, problems: list[ImportProblem]):
        self.problems = problems
        super().__init__([str(p) for p in problems])


HEADER_CODES = {"code", "item", "item_code", "事项编码", "事项代码", "编码"}
TERMINAL_SEPARATORS = (";", "；", "|", " ", "、", ",")


def _split_terminals(text: str) -> tuple[str, ...]:
    text = (text or "").strip()
    for sep in TERMINAL_SEPARATORS[:-1]:
        text = text.replace(sep, ",")
    return tuple(part.strip() for part in text.split(",") if part.strip())


def read_rows(content: bytes, filename: str) -> list[ImportRow]:
    """Rows of a CSV or XLSX file: the item code in the first column, optionally terminal codes
    in the second. A header row (``code``, ``事项编码``…) is skipped; lines count from 1."""
    name = filename.lower()
    if not name.endswith((".xlsx", ".csv", ".txt")):
        raise ImportRejected([ImportProblem(0, _("file"), _("Upload a .csv or .xlsx file."))])
    try:
        table = read_table(content, name if name.endswith(".xlsx") else "")
    except UnreadableTable as exc:
        # the table's own message says which limit or character refused the file, and where
        problem = ImportProblem(exc.row or 0, exc.column or _("file"), exc.message)
        raise ImportRejected([problem]) from exc
    raw = [
        (number, ["" if v is None else str(v).strip() for v in values])
        for number, values in enumerate(table, start=1)
    ]
    rows: list[ImportRow] = []
    for number, values in raw:
        if not any(values):
            continue
        code = values[0] if values else ""
        if not rows and code.lower() in HEADER_CODES:
            continue
        terminals = _split_terminals(values[1]) if len(values) > 1 else ()
        rows.append(ImportRow(number, code, terminals))
    if len(rows) > MAX_IMPORT_ROWS:
        raise ImportRejected(
            [
                ImportProblem(
                    0, _("file"), _("At most %(n)d rows can be imported.") % {"n": MAX_IMPORT_ROWS}
                )
            ]
        )
    return rows


def check_rows(outlet: Outlet, rows: list[ImportRow]) -> tuple[list[ImportProblem], dict]:
    """Every problem in ``rows``, and the items by code (two queries)."""
    codes = {r.code for r in rows if r.code}
    items = {i.code: i for i in ServiceItem.objects.filter(code__in=codes)}
    terminals = set(Terminal.objects.filter(outlet=outlet).values_list("code", flat=True))
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    code_field = _("item code")
    for row in rows:
        if not row.code:
            problems.append(ImportProblem(row.line, code_field, _("The item code is missing.")))
            continue
        if row.code in seen:
            problems.append(
                ImportProblem(
                    row.line,
                    code_field,
                    _("%(code)s is a duplicate of line %(first)d.")
                    % {"code": row.code, "first": seen[row.code]},
                )
            )
            continue
        seen[row.code] = row.line
        item = items.get(row.code)
        if item is None:
            problems.append(
                ImportProblem(
                    row.line, code_field, _("Unknown item code %(code)s.") % {"code": row.code}
                )
            )
            continue
        if not item.self_service or not item.is_active:
            problems.append(
                ImportProblem(
                    row.line,
                    code_field,
                    _("%(code)s cannot be done at a self-service terminal.") % {"code": row.code},
                )
            )
        unknown = [t for t in row.terminals if t not in terminals]
        if unknown:
            problems.append(
                ImportProblem(
                    row.line,
                    _("terminals"),
                    _("Not a terminal of this outlet: %(codes)s") % {"codes": ", ".join(unknown)},
                )
            )
    if not rows:
        problems.append(ImportProblem(0, _("file"), _("The file holds no item codes.")))
    return problems, items


@dataclass(frozen=True)
class ImportResult:
    rows: int
    entries: int


@transaction.atomic
def import_items(
    outlet: Outlet, content: bytes, filename: str, *, replace: bool = True, user=None
) -> ImportResult:
    """Import item codes into the draft: all or nothing. ``replace`` makes the file the whole
    list; otherwise its items are added (their terminals replaced). Raises ImportRejected naming
    every bad row, and then nothing has changed."""
    if user is not None:
        check_manager(user, outlet)
    rows = read_rows(content, filename)
    problems, items = check_rows(outlet, rows)
    if problems:
        raise ImportRejected(problems)
    draft = _lock_draft(outlet)
    terminal_ids = dict(Terminal.objects.filter(outlet=outlet).values_list("code", "pk"))
    wanted_ids = {items[r.code].pk for r in rows}
    existing = dict(ItemListEntry.objects.filter(version=draft).values_list("item_id", "pk"))
    if replace:
        ItemListEntry.objects.filter(version=draft).exclude(item_id__in=wanted_ids).delete()
    touched = [existing[i] for i in wanted_ids if i in existing]
    TerminalThrough.objects.filter(itemlistentry_id__in=touched).delete()
    created = ItemListEntry.objects.bulk_create(
        [ItemListEntry(version=draft, item_id=i) for i in wanted_ids if i not in existing],
        batch_size=2000,
    )
    if created and any(e.pk is None for e in created):
        entry_ids = dict(
            ItemListEntry.objects.filter(version=draft, item_id__in=wanted_ids).values_list(
                "item_id", "pk"
            )
        )
    else:
        entry_ids = {**existing, **{e.item_id: e.pk for e in created}}
    TerminalThrough.objects.bulk_create(
        [
            TerminalThrough(
                itemlistentry_id=entry_ids[items[r.code].pk], terminal_id=terminal_ids[t]
            )
            for r in rows
            for t in dict.fromkeys(r.terminals)
        ],
        batch_size=5000,
    )
    _refresh_count(draft)
    return ImportResult(rows=len(rows), entries=ItemListEntry.objects.filter(version=draft).count())


# --- publishing ------


def _next_number(outlet: Outlet) -> int:
    """The number the outlet's next published version takes (call with the outlet locked);
    withdrawn versions keep their numbers."""
    numbered = ItemListVersion.objects.filter(outlet=outlet).exclude(status=VersionStatus.DRAFT)
    latest = numbered.aggregate(n=Max("number"))["n"]
    return (latest or 0) + 1


def _write_version(
    outlet: Outlet,
    *,
    number: int,
    effective_date: datetime.date,
    user,
    note: str,
    entries: Snapshot,
    at: datetime.datetime,
) -> ItemListVersion:
    """A new published version holding ``entries`` (item id -> terminal ids), in bulk."""
    version = ItemListVersion.objects.create(
        outlet=outlet,
        status=VersionStatus.PUBLISHED,
        number=number,
        effective_date=effective_date,
        published_at=at,
        published_by=user,
        note=note,
        entry_count=len(entries),
    )
    created = ItemListEntry.objects.bulk_create(
        [ItemListEntry(version=version, item_id=i) for i in sorted(entries)], batch_size=2000
    )
    if any(entry.pk is None for entry in created):  # a backend that returns no ids
        ids = dict(ItemListEntry.objects.filter(version=version).values_list("item_id", "pk"))
    else:
        ids = {entry.item_id: entry.pk for entry in created}
    TerminalThrough.objects.bulk_create(
        [
            TerminalThrough(itemlistentry_id=ids[item_id], terminal_id=terminal_id)
            for item_id, terminals in entries.items()
            for terminal_id in sorted(terminals)
        ],
        batch_size=5000,
    )
    return version


def _restart_draft(outlet: Outlet, draft: ItemListVersion) -> None:
    """After publishing, the draft becomes a copy of the last list decided again."""
    base = latest_published(outlet)
    ItemListEntry.objects.filter(version=draft).delete()
    count = _copy_entries(base, draft)
    ItemListVersion.objects.filter(pk=draft.pk).update(
        based_on=base, entry_count=count, updated_at=timezone.now()
    )


def check_effective_date(effective_date: datetime.date, today: datetime.date) -> None:
    """Refuse a date in the past: the past stays what the public saw."""
    if effective_date < today:
        raise ValidationError({"effective_date": _("The effective date cannot be in the past.")})


@dataclass(frozen=True)
class Publication:
    """What one publication wrote: the new version, and for each scheduled version it replaced,
    the pair (replaced, replacement; the replacement is the new version itself when both are
    for the same date)."""

    version: ItemListVersion
    replaced: list[tuple[ItemListVersion, ItemListVersion]]


def _date_text(day: datetime.date) -> str:
    return day.isoformat()


@transaction.atomic
def publish(
    outlet: Outlet,
    *,
    user,
    effective_date: datetime.date,
    note: str = "",
    today: datetime.date | None = None,
    confirm_scheduled: Sequence[int] | None = None,
    compared_with: int | None = None,
) -> Publication:
    """Publish the manager's edits as the next numbered version, in effect from
    ``effective_date``, exactly as :func:`selectors.publication_plan` shows them (ADR 0102).

    The new version is the list public on ``effective_date`` with the edits (the draft against
    the version it was started from), so nothing scheduled later comes forward. Each version
    scheduled after today for that date or later is replaced by a copy with the same edits, so
    nothing is undone when its date comes; the publisher names those versions in
    ``confirm_scheduled`` (refused otherwise), and ``compared_with`` (the number of the version
    the preview compared with, 0 for none) refuses a publication whose comparison has changed
    since. One transaction, the outlet row locked: two managers publishing at once get
    consecutive numbers and the second one's plan includes the first one's version.

    Refused (ValidationError, nothing written) for a date in the past, a missing draft, or edits
    that change nothing on that date. The draft stays, as a copy of the last list decided."""
    check_manager(user, outlet)
    today = today or clock.local_now().date()
    check_effective_date(effective_date, today)
    Outlet.objects.select_for_update().filter(pk=outlet.pk).first()
    draft = draft_of(outlet)
    if draft is None:
        raise ValidationError(_("There is no draft to publish."))
    plan = publication_plan(outlet, draft, effective_date, today)
    date = _date_text(effective_date)
    if compared_with is not None and compared_with != plan.compared_with:
        raise ValidationError(
            {
                "compared_with": _(
                    "The list in effect on %(date)s has changed since you looked (it is now "
                    "version %(number)d). Check the changes again, then publish."
                )
                % {"date": date, "number": plan.compared_with}
            }
        )
    if plan.is_empty:
        raise ValidationError(
            _(
                "Your draft makes no change to the list in effect on %(date)s. To change a "
                "scheduled version only, publish for its date, or withdraw it."
            )
            % {"date": date}
        )
    wanted = plan.to_confirm
    if sorted(set(confirm_scheduled or ())) != wanted:
        scheduled = {s.version.number: s for s in plan.scheduled if s.needs_confirmation}
        names = "; ".join(
            _("version %(number)d (%(date)s)")
            % {"number": n, "date": _date_text(scheduled[n].version.effective_date)}  # type: ignore[arg-type]
            for n in wanted
        )
        raise ValidationError(
            {
                "confirm_scheduled": _(
                    "Confirm what happens to each scheduled version your publication replaces: "
                    "%(versions)s."
                )
                % {"versions": names}
                if wanted
                else _("No scheduled version is affected; confirm none.")
            }
        )
    now = timezone.now()
    number = _next_number(outlet)
    version = _write_version(
        outlet,
        number=number,
        effective_date=effective_date,
        user=user,
        note=note,
        entries=plan.result,
        at=now,
    )
    replaced: list[tuple[ItemListVersion, ItemListVersion]] = []
    for scheduled_version in plan.scheduled:
        if not scheduled_version.needs_confirmation:
            continue
        old = scheduled_version.version
        if scheduled_version.fate == Fate.REPLACED:
            replacement = version
        else:
            number += 1
            replacement = _write_version(
                outlet,
                number=number,
                effective_date=old.effective_date,  # type: ignore[arg-type]
                user=user,
                note=old.note,
                entries=scheduled_version.result,
                at=now,
            )
        ItemListVersion.objects.filter(pk=old.pk).update(
            status=VersionStatus.WITHDRAWN,
            withdrawn_at=now,
            withdrawn_by=user,
            replaced_by=replacement,
        )
        replaced.append((old, replacement))
    _restart_draft(outlet, draft)
    return Publication(version=version, replaced=replaced)


@transaction.atomic
def withdraw(
    outlet: Outlet, number: int, *, user, today: datetime.date | None = None
) -> ItemListVersion:
    """Withdraw version ``number`` before it takes effect: on its date the public keeps the list
    in effect before it. Refused (ValidationError) for a version already in effect or in the past
    (the public has seen it: publish a new list instead) and for one withdrawn already."""
    check_manager(user, outlet)
    today = today or clock.local_now().date()
    Outlet.objects.select_for_update().filter(pk=outlet.pk).first()
    version = (
        ItemListVersion.objects.filter(outlet=outlet, number=number)
        .exclude(status=VersionStatus.DRAFT)
        .first()
    )
    if version is None:
        raise ValidationError({"number": _("There is no version %(number)d.") % {"number": number}})
    if version.status == VersionStatus.WITHDRAWN:
        raise ValidationError(
            {"number": _("Version %(number)d was withdrawn already.") % {"number": number}}
        )
    if version.effective_date <= today:  # type: ignore[operator]
        raise ValidationError(
            {
                "number": _(
                    "Version %(number)d took effect on %(date)s: the public has seen it, so it "
                    "cannot be withdrawn. Publish a new list instead."
                )
                % {"number": number, "date": _date_text(version.effective_date)}  # type: ignore[arg-type]
            }
        )
    now = timezone.now()
    ItemListVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.WITHDRAWN, withdrawn_at=now, withdrawn_by=user
    )
    version.status, version.withdrawn_at, version.withdrawn_by = VersionStatus.WITHDRAWN, now, user
    return version


def publish_entries(
    outlet: Outlet,
    *,
    user,
    effective_date: datetime.date,
    items: Sequence[int],
    terminals: dict[int, Sequence[int]] | None = None,
    note: str = "",
) -> ItemListVersion:
    """Publish a version straight from item ids (demo data, benchmarks): no draft involved."""
    with transaction.atomic():
        version = ItemListVersion.objects.create(
            outlet=outlet,
            status=VersionStatus.PUBLISHED,
            number=_next_number(outlet),
            effective_date=effective_date,
            published_at=timezone.now(),
            published_by=user,
            note=note,
            entry_count=len(items),
        )
        entries = ItemListEntry.objects.bulk_create(
            [ItemListEntry(version=version, item_id=i) for i in items], batch_size=2000
        )
        if terminals:
            TerminalThrough.objects.bulk_create(
                [
                    TerminalThrough(itemlistentry_id=e.pk, terminal_id=t)
                    for e in entries
                    for t in terminals.get(e.item_id, ())
                ],
                batch_size=5000,
            )
    return version
