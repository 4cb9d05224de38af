"""`manage.py rebuild_legal_aid_statistics`: the statistics rollup again from every application
(legal_aid.rollups.rebuild: one set-based statement). The triggers keep it current; this is
for repair, and for a loader that wrote applications with the triggers disabled."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from legal_aid import rollups


class Command(BaseCommand):
    help = "Rebuild the legal-aid statistics rollup from the applications."

    def handle(self, *args, **options) -> None:
        groups = rollups.rebuild()
        self.stdout.write(f"legal-aid statistics rollup rebuilt: {groups} groups")
