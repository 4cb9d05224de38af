"""Register import (ADR 0109): the company and the certificate registers from the files they
export, full or incremental, checked row by row, all or nothing, once per file.

1. The file's SHA-256: a file imported before changes nothing (the record says so).
2. Reading: every row checked (:mod:`.columns`); good rows staged (PostgreSQL: COPY into a
   temporary table; elsewhere: memory), bad ones reported by line and field.
3. Checks across rows (a key twice, a certificate's holder not in the register).
4. Any bad row: nothing is stored; the record keeps the first 1,000 problems and the total.
5. Otherwise one transaction: the set-based merge (changed rows only), deletions as status,
   and after an incremental company file the licence events and the offers the rules make.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import CertificateType
from . import columns
from .models import ImportMode, ImportStatus, Register, RegisterImport
from .reader import FileProblem, RowReader, file_sha256, guess_format

logger = logging.getLogger(__name__)

MAX_PROBLEMS = 1000
PROGRESS_EVERY = 10_000  # rows between updates of the progress bar
SAVE_EVERY = 200_000  # rows between progress saves to the record (the admin's page)

Progress = Callable[[int, int], None]  # (bytes read, rows read)


def _districts() -> frozenset[str]:
    from portal.catalogue.models import Region

    return frozenset(Region.objects.values_list("code", flat=True))


def _types() -> dict[str, tuple[int, frozenset[str]]]:
    return {t.code: (t.pk, frozenset(t.grade_choices)) for t in CertificateType.objects.all()}


def _stage(register: str):
    if connection.vendor == "postgresql":
        from .postgres import PostgresStage

        return PostgresStage(register)
    from .portable import PortableStage

    return PortableStage(register)


def previous_import(register: str, sha256: str) -> RegisterImport | None:
    return RegisterImport.objects.filter(
        register=register, sha256=sha256, status=ImportStatus.DONE
    ).first()


def import_register(
    register: str,
    path: Path | str,
    *,
    fmt: str | None = None,
    encoding: str = "utf-8",
    mode: str = ImportMode.FULL,
    user=None,
    record: RegisterImport | None = None,
    progress: Progress | None = None,
    today: datetime.date | None = None,
) -> RegisterImport:
    """Import one register file. Returns its record: ``done`` (with the counts), ``rejected``
    (bad rows: nothing stored, ``errors`` names them), ``skipped`` (imported before) or
    ``failed``. ``record``: the record made by the admin's upload, else a new one."""
    path = Path(path)
    fmt = fmt or guess_format(path)
    if register not in Register.values:
        raise ValueError(f"unknown register {register!r}")
    sha256, size = file_sha256(path)
    if record is None:
        record = RegisterImport(created_by=user)
    record.register, record.mode, record.format, record.encoding = register, mode, fmt, encoding
    record.file_name = record.file_name or path.name
    record.sha256, record.size = sha256, size
    record.started_at = timezone.now()
    before = previous_import(register, sha256)
    with translation.override(settings.LANGUAGE_CODE):
        if before is not None:
            record.status = ImportStatus.SKIPPED
            record.finished_at = timezone.now()
            record.message = _(
                "This file was imported on %(when)s (import %(id)s): nothing changed."
            ) % {
                "when": timezone.localtime(before.finished_at or before.created_at).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                "id": before.pk,
            }
            record.save()
            return record
        record.status = ImportStatus.READING
        record.save()
        try:
            _import(record, path, progress, today)
        except FileProblem as exc:
            record.status = ImportStatus.REJECTED
            record.message = str(exc)
            record.finished_at = timezone.now()
            record.save()
        except Exception as exc:
            logger.exception("register import %s failed", record.pk)
            record.status = ImportStatus.FAILED
            record.message = f"{type(exc).__name__}: {exc}"[:500]
            record.finished_at = timezone.now()
            record.save()
            raise
    return record


def _full_company(values: tuple, districts: frozenset[str]) -> tuple[tuple | None, list]:
    return columns.check_company(dict(zip(columns.COMPANY_COLUMNS, values, strict=True)), districts)


def _full_certificate(values: tuple, types) -> tuple[tuple | None, list]:
    row = dict(zip(columns.CERTIFICATE_COLUMNS, values, strict=True))
    return columns.check_certificate(row, types)


def _import(
    record: RegisterImport, path: Path, progress: Progress | None, today: datetime.date | None
) -> None:
    names: tuple[str, ...]
    required: tuple[str, ...]
    fast: Callable[[tuple], tuple | None]
    full: Callable[[tuple], tuple[tuple | None, list]]
    if record.register == Register.COMPANIES:
        names, required = columns.COMPANY_COLUMNS, columns.COMPANY_REQUIRED
        districts = _districts()
        latest = datetime.date.today().isoformat()  # no company is established after today
        fast = functools.partial(columns.fast_company_values, districts=districts, today=latest)
        full = functools.partial(_full_company, districts=districts)
    else:
        names, required = columns.CERTIFICATE_COLUMNS, columns.CERTIFICATE_REQUIRED
        types = _types()
        fast = functools.partial(columns.fast_certificate_values, types=types)
        full = functools.partial(_full_certificate, types=types)

    stage = _stage(record.register)
    try:
        rows_of = RowReader(path, record.format, record.encoding, names, required)
        problems, bad_rows, rows, twice = _read(record, rows_of, stage, fast, full, progress)
        if progress:
            progress(record.size, rows)
        stage.finish()
        record.rows_read, record.bytes_read = rows, record.size
        found_across, bad_across = stage.problems(MAX_PROBLEMS, maybe_twice=twice)
        problems += found_across
        bad_rows += bad_across
        if bad_rows:
            problems.sort(key=lambda p: p[0])
            record.status = ImportStatus.REJECTED
            record.error_count = bad_rows
            record.errors = [
                {"line": line, "field": field, "message": str(message)}
                for line, field, message in problems[:MAX_PROBLEMS]
            ]
            record.message = _("%(n)d bad rows: nothing was stored.") % {"n": bad_rows}
            record.finished_at = timezone.now()
            record.save()
            return
        record.status = ImportStatus.MERGING
        record.save(update_fields=["status", "rows_read", "bytes_read"])
        with transaction.atomic():
            counts = stage.merge(
                record.mode, record.pk, today or timezone.localdate(), timezone.now()
            )
            record.inserted = counts["inserted"]
            record.updated = counts["updated"]
            record.unchanged = counts["unchanged"]
            record.deleted = counts["deleted"]
            record.offers_created = len(counts["offers"])
            record.status = ImportStatus.DONE
            record.finished_at = timezone.now()
            record.message = ""
            record.save()
            if counts["offers"]:
                from ..services import queue_offers

                queue_offers(counts["offers"])
    finally:
        stage.drop()


def _read(record, rows_of: RowReader, stage, fast, full, progress):
    """Every row read and checked; the good ones staged (even after a bad one: the checks across
    rows then name theirs too). A row the fast checks pass is staged at once; any other goes
    through the full checks, which say what is wrong (or accept it, written canonically).

    The keys' hashes are kept (a set of integers, about 120 MB for 1.79 million rows): a key
    that comes twice in a file is rare, and when no hash came twice the staged rows need not be
    grouped by key to look for one (a GROUP BY over 1.79 million rows, 4-6 s). Returns
    (problems, bad rows, rows, whether a key may come twice)."""
    problems: list[tuple[int, str, str]] = []
    bad_rows = rows = 0
    add = stage.add
    seen: set[int] = set()
    remember = seen.add
    twice = False
    for line, values in rows_of:
        rows += 1
        if values is None:
            bad_rows += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append((line, "", _("Not a row of the documented columns.")))
        else:
            good = fast(values)
            if good is None:
                good, found = full(values)
                if found:
                    bad_rows += 1
                    problems += found_at(line, found, MAX_PROBLEMS - len(problems))
            if good is not None:
                add(line, good)
                key = hash(good[0])  # the key (USCC, certificate number) comes first
                if key in seen:
                    twice = True
                remember(key)
        if rows % PROGRESS_EVERY == 0:
            position = rows_of.position()
            if progress:
                progress(position, rows)
            if rows % SAVE_EVERY == 0:
                stage.flush()  # the connection is free again for the progress save
                RegisterImport.objects.filter(pk=record.pk).update(
                    rows_read=rows, bytes_read=position
                )
    return problems, bad_rows, rows, twice


def found_at(line: int, found, room: int) -> list[tuple[int, str, str]]:
    return [(line, field, message) for field, message in found[: max(room, 0)]]
