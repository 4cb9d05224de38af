"""``manage.py dev_courier_key --file var/courier/api-key``: the development courier's API key
(a system client with the scope ``courier:events``), made once and kept in the file, so the
courier server `make run` starts can call the portal's webhook. Refused in production."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create (once) the development courier's API key and write it to a file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", default="var/courier/api-key")

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("The development courier is for DEBUG only.")
        from portal.accounts.services import create_system_client

        path = Path(options["file"])
        if path.exists() and path.read_text().strip():
            self.stdout.write(f"courier key kept in {path}")
            return
        _client, key = create_system_client(
            name="开发测试快递 (development courier)", scopes=["courier:events"]
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(key + "\n")
        path.chmod(0o600)
        self.stdout.write(f"courier key written to {path}")
