"""Write every item's search document again (ADR 0108): after a change to the portal's dictionary
of service terms (``portal/catalogue/search/terms.txt``) or to how documents are built, or after
rows were written by hand in the database."""

from django.core.management.base import BaseCommand

from portal.catalogue.search.services import rebuild_documents


class Command(BaseCommand):
    help = "Write every service item's search document (tokens, pinyin, initials) again."

    def handle(self, *args, **options):
        changed = rebuild_documents()
        self.stdout.write(self.style.SUCCESS(f"{changed} search documents written again."))
