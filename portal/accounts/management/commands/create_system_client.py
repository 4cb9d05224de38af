"""Make a key for another government system: prints the key once (it is stored only hashed).

manage.py create_system_client "市场监管登记系统" --scope licence_events:write
manage.py create_system_client --list-scopes
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from portal.access import scopes
from portal.accounts import services


class Command(BaseCommand):
    help = "Create a system client (API key with scopes) and print its key once."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="The system's name, e.g. 市场监管登记系统")
        parser.add_argument("--scope", action="append", default=[], help="A scope (repeatable)")
        parser.add_argument("--contact", default="", help="Who runs the system")
        parser.add_argument("--list-scopes", action="store_true", help="List the scopes")

    def handle(self, *args, name=None, scope=(), contact="", list_scopes=False, **options):
        if list_scopes or not name:
            for item in scopes():
                self.stdout.write(f"{item.name}\t{item.description}")
            if not name:
                return
        try:
            client, key = services.create_system_client(name, list(scope), contact=contact)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        self.stdout.write(
            f"System client {client.name} ({client.prefix}), scopes: {', '.join(client.scopes)}"
        )
        self.stdout.write("Key (shown once; send it as 'Authorization: Api-Key <key>'):")
        self.stdout.write(key)
