"""Import the company or the certificate register from the file it exports (ADR 0109).

    manage.py import_register companies companies.csv
    manage.py import_register certificates certificates.jsonl --encoding gb18030 --mode incremental

The columns are documented in docs/registers.md. A file with a bad row stores nothing: every bad
row is printed with its line and field (the first 1,000, and the total). The same file twice
changes nothing. A progress bar shows the bytes read."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from approvals.proactive.registers.models import ImportStatus
from approvals.proactive.registers.services import import_register


class Command(BaseCommand):
    help = "Import the company or certificate register from a CSV or JSON Lines file."

    def add_arguments(self, parser):
        parser.add_argument("register", choices=["companies", "certificates"])
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=["csv", "jsonl"], default=None)
        parser.add_argument("--encoding", choices=["utf-8", "gb18030"], default="utf-8")
        parser.add_argument("--mode", choices=["full", "incremental"], default="full")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        bar = tqdm(
            total=path.stat().st_size,
            unit="B",
            unit_scale=True,
            desc=f"{options['register']} {path.name}",
            disable=options["no_progress"],
            file=self.stderr._out,
        )
        state = {"at": 0}

        def progress(position: int, rows: int) -> None:
            bar.update(max(0, position - state["at"]))
            state["at"] = position
            bar.set_postfix(rows=f"{rows:,}")

        try:
            record = import_register(
                options["register"],
                path,
                fmt=options["format"],
                encoding=options["encoding"],
                mode=options["mode"],
                progress=progress,
            )
        finally:
            bar.close()
        if record.status == ImportStatus.REJECTED:
            for problem in record.errors:
                field = f" {problem['field']}" if problem["field"] else ""
                self.stderr.write(f"line {problem['line']}{field}: {problem['message']}")
            shown = len(record.errors)
            if record.error_count > shown or not shown:
                self.stderr.write(f"{record.message} ({shown} problems shown)")
            raise CommandError(record.message or "rejected")
        if record.status == ImportStatus.SKIPPED:
            self.stdout.write(record.message)
            return
        self.stdout.write(
            f"{record.register}: {record.rows_read:,} rows read, {record.inserted:,} added, "
            f"{record.updated:,} changed, {record.unchanged:,} unchanged, "
            f"{record.deleted:,} marked deleted, {record.offers_created:,} offers made "
            f"(import {record.pk})"
        )
