"""Import service items from a CSV or XLSX file (all or nothing)."""

from django.core.management.base import BaseCommand, CommandError

from portal.catalogue.services import import_items


class Command(BaseCommand):
    help = "Import service items from a CSV or XLSX file; nothing is stored if any row is wrong."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV (UTF-8 or GB18030) or XLSX file")

    def handle(self, *args, path: str, **options):
        result = import_items(path)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} problem(s); nothing was imported.")
        self.stdout.write(
            self.style.SUCCESS(f"{result.created} items created, {result.updated} updated.")
        )
