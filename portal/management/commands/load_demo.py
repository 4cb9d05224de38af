"""Load the demo data: deterministic and idempotent (running it twice changes nothing).

The portal's own data (regions, departments, the catalogue and its lists) comes first; then each
installed app that has a ``demo`` module with a ``load(stdout)`` function, in INSTALLED_APPS order.
"""

from importlib import import_module, util

from django.apps import apps
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

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
            "--only", nargs="*", help="Load only these app labels (e.g. catalogue outlets)."
        )

    def handle(self, *args, only=None, if_empty=False, **options):
        if if_empty and cache.get(LOADED_MARKER):
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        loaders = [
            (config.label, f"{config.name}.demo")
            for config in apps.get_app_configs()
            if (not only or config.label in only) and util.find_spec(f"{config.name}.demo")
        ]
        unknown = sorted(set(only or ()) - {label for label, _module in loaders})
        if unknown:
            # A mistyped label would otherwise load nothing and still say "loaded".
            raise CommandError(f"No demo data for: {', '.join(unknown)}.")
        for label, module_name in loaders:
            self.stdout.write(f"Loading demo data: {label} …")
            import_module(module_name).load(stdout=self.stdout)
        if not only:
            cache.set(LOADED_MARKER, timezone.now().isoformat(), timeout=None)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
