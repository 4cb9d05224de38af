"""Make django-q2's schedules match the ones the apps declare (``portal.schedules``); ``migrate``
does the same at its end, so this is for a database that was not migrated just now."""

from django.core.management.base import BaseCommand

from portal import schedules


class Command(BaseCommand):
    help = "Create, update and remove django-q2 schedules to match the apps' declarations."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database: str, **options) -> None:
        result = schedules.sync(using=database)
        for verb, names in (
            ("created", result.created),
            ("updated", result.updated),
            ("removed", result.removed),
        ):
            for name in names:
                self.stdout.write(f"{verb}: {name}")
        if options["verbosity"] > 1:
            for entry in schedules.declared():
                when = entry.cron or f"every {entry.minutes} min"
                self.stdout.write(f"{entry.name}: {entry.func} ({when})")
