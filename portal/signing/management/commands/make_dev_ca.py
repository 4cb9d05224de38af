"""``manage.py make_dev_ca``: the development CA and one signing key per authority (every
department, every legal-aid centre, the generic one) under ``SIGNING["DIR"]`` (var/signing/).
Idempotent: what is there is kept. ``make run`` calls it; production never uses these keys."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from portal.signing import authorities, keys


class Command(BaseCommand):
    help = "Create the development CA and a development signing key per authority (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not keys.conf()["DEVELOPMENT_KEYS"]:
            raise CommandError("Development keys are off (production): configure real keys.")
        made_ca = keys.ensure_dev_ca()
        paths = keys.dev_paths()
        before = set(paths["keys"].glob("*.p12"))
        try:
            listed = authorities.all_authorities()
        except Exception as exc:  # noqa: BLE001  (no tables yet: only the generic key)
            self.stderr.write(f"authorities not listed ({exc}); run migrate first")
            listed = [(authorities.GENERIC, authorities.GENERIC_NAME)]
        for code, name in listed:
            keys.ensure_dev_key(code, name)
        made = len(set(paths["keys"].glob("*.p12")) - before)
        self.stdout.write(
            f"development CA {'made' if made_ca else 'kept'} in {paths['dir']}; "
            f"{made} new key(s), {len(listed)} authorities "
            "(开发测试用印章 / DEVELOPMENT KEY – NOT VALID)"
        )
