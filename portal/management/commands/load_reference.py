"""Load the reference data every deployment needs: regions, departments, the catalogue's items
and handling lists, legal-aid centres, bodies and courts, certificate types... Each domain app
registers its loader in its ``AppConfig.ready()`` (``portal.registry``); each loader runs in one
transaction, after the loaders it names. Idempotent: running it twice changes nothing, and a row
whose data file changed is updated."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal import pagecache
from portal.registry import RegistryError, registry


class Command(BaseCommand):
    help = "Load the reference data (regions, departments, catalogue, centres...; idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--only", nargs="*", help="Load only these app labels (e.g. catalogue legal_aid)."
        )

    def handle(self, *args, only=None, **options):
        try:
            loaders = registry.reference_loaders(only or None)
        except RegistryError as exc:
            raise CommandError(str(exc)) from exc
        for loader in loaders:
            self.stdout.write(f"Loading reference data: {loader.label} …")
            with transaction.atomic():
                loader.load(stdout=self.stdout)
                pagecache.changed(loader.label)  # loaders write in bulk: no signals
        self.stdout.write(self.style.SUCCESS("Reference data loaded."))
