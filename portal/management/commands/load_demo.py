"""Load the demo data: deterministic and idempotent (running it twice changes nothing).

Each app registers its demo loader in its ``AppConfig.ready()`` (``portal.registry``); a loader
runs after the loaders it names in ``after``, otherwise in the order the apps are installed (the
catalogue's regions, departments and items first)."""

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portal import pagecache
from portal.registry import RegistryError, registry

# Set when a whole load has finished, so an interrupted first load is completed next time.
LOADED_MARKER = "portal:demo-data-loaded"


class Command(BaseCommand):
    help = "Load the demo data (deterministic, idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when a complete load has already finished (used by `make run`).",
        )
        parser.add_argument(
            "--only", nargs="*", help="Load only these app labels (e.g. catalogue accounts)."
        )

    def handle(self, *args, only=None, if_empty=False, **options):
        if if_empty and cache.get(LOADED_MARKER):
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        try:
            loaders = registry.demo_loaders(only or None)
        except RegistryError as error:
            # A mistyped label would otherwise load nothing and still say "loaded".
            raise CommandError(str(error)) from error
        for loader in loaders:
            self.stdout.write(f"Loading demo data: {loader.label} …")
            loader.load(stdout=self.stdout)
            pagecache.changed(loader.label)  # loaders write in bulk: no signals
        if not only:
            cache.set(LOADED_MARKER, timezone.now().isoformat(), timeout=None)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
