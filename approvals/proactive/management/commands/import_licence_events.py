"""Import a large file of licence-change events (JSONL or CSV) in batches, with a progress bar.

Each batch is all-or-nothing: a batch with a bad line stores nothing, and every bad line is
reported by line number and field; the other batches go on. CSV columns: event_id, uscc,
changed_on, field, old, new (one change per row; rows with the same event_id are one event)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from approvals.proactive import services
from approvals.proactive.events import parse_batch


def read_jsonl(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, {"__error__": f"not JSON: {exc.msg}"}


def read_csv(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        current: dict | None = None
        first_line = 0
        for number, row in enumerate(reader, start=2):
            event_id = (row.get("event_id") or "").strip()
            if current is not None and event_id != current["event_id"]:
                yield first_line, current
                current = None
            if current is None:
                current = {
                    "event_id": event_id,
                    "uscc": (row.get("uscc") or "").strip(),
                    "changed_on": (row.get("changed_on") or "").strip(),
                    "changes": {},
                }
                first_line = number
            field = (row.get("field") or "").strip()
            new = row.get("new") or ""
            old = row.get("old") or ""
            if field == "shareholders":
                new = [n.strip() for n in new.split(";") if n.strip()]
                old = [n.strip() for n in old.split(";") if n.strip()]
            current["changes"][field] = {"old": old, "new": new}
        if current is not None:
            yield first_line, current


class Command(BaseCommand):
    help = "Import licence-change events from a JSONL or CSV file, in batches."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--format", choices=["jsonl", "csv"], default=None)
        parser.add_argument("--no-progress", action="store_true")

    def handle(
        self, *args, file: Path, batch_size: int, format: str | None, no_progress: bool, **options
    ):
        if not file.exists():
            raise CommandError(f"No such file: {file}")
        kind = format or ("csv" if file.suffix.lower() == ".csv" else "jsonl")
        rows = read_csv(file) if kind == "csv" else read_jsonl(file)
        totals = {"stored": 0, "duplicates": 0, "offers": 0, "bad_batches": 0, "bad_lines": 0}
        progress = tqdm(unit="events", disable=no_progress, file=self.stderr._out)
        batch: list[tuple[int, Any]] = []

        def flush() -> None:
            raw = [event for _, event in batch]
            events, bad = parse_batch(raw)
            if bad:
                totals["bad_batches"] += 1
                totals["bad_lines"] += len(bad)
                for entry in bad:
                    line = batch[entry["index"]][0]
                    errors = entry["errors"]
                    if isinstance(raw[entry["index"]], dict) and "__error__" in raw[entry["index"]]:
                        errors = {"line": [raw[entry["index"]]["__error__"]]}
                    for field, messages in errors.items():
                        for message in messages:
                            self.stderr.write(f"line {line}: {field}: {message}")
                self.stderr.write(
                    f"lines {batch[0][0]}-{batch[-1][0]}: batch not imported ({len(bad)} bad)"
                )
            else:
                result = services.ingest_licence_events(events)
                totals["stored"] += result.created
                totals["duplicates"] += result.duplicates
                totals["offers"] += result.offers_created
            progress.update(len(batch))
            batch.clear()

        for number, event in rows:
            batch.append((number, event))
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        progress.close()
        self.stdout.write(
            f"{totals['stored']} events stored, {totals['duplicates']} already known, "
            f"{totals['offers']} offers created; {totals['bad_batches']} batch(es) refused with "
            f"{totals['bad_lines']} bad line(s)."
        )
        if totals["bad_batches"]:
            raise CommandError("Some batches were refused; fix the lines above and run again.")
