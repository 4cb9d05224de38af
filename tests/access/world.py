"""The demo city once per module, with one signed-in test client per role (the matrix's columns).

The demo data is loaded inside an outer transaction that is rolled back when the module ends; each
test runs in a savepoint inside it (pytest-django's ``db``), so a probe that changes something
leaves nothing behind for the next cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from io import StringIO
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

#: The matrix's columns: short name -> (demo username, what the actor is). ``None``: anonymous;
#: ``key:<scopes>``: a system client holding those scopes.
ACTORS: dict[str, tuple[str | None, str]] = {
    "anon": (None, "anonymous visitor"),
    "citz": ("citizen", "citizen (owns the demo citizen's cases, applications, consultations)"),
    "comp": ("company_rep", "company representative (the demo company's offers and certificates)"),
    "pnt": ("case_staff", "acceptance staff of QD-CITY-HALL (Qingdao)"),
    "ypnt": ("yantai_staff", "acceptance staff in Yantai"),
    "dept": ("housing_staff", "department staff (reviewer of proactive offers)"),
    "omgr": ("outlet_manager", "outlet manager of QD-GOV-001 and QD-RCB-001"),
    "laqd": ("qingdao_legal_aid", "legal-aid staff, Qingdao centre"),
    "lalx": ("laixi_legal_aid", "legal-aid staff, Laixi centre"),
    "labu": ("qingdao_bureau", "justice bureau (legal-aid supervision)"),
    "admn": ("city_admin", "administrator (role, not superuser)"),
    "supr": ("admin", "superuser"),
    "feed": ("key:licence_events:write,register:read", "market-regulation register feed"),
    "cour": ("key:courier:events", "courier"),
    "gate": ("key:notifications:receipts", "notification gateway"),
}


@dataclass
class World:
    """What the probes work on: users by actor, one client per actor, and named records."""

    users: dict[str, Any] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    records: dict[str, Any] = field(default_factory=dict)

    def client(self, actor: str) -> Client:
        """A fresh client signed in as ``actor`` (a system client sends its key)."""
        username, _ = ACTORS[actor]
        if username is None:
            return Client()
        if username.startswith("key:"):
            return Client(HTTP_AUTHORIZATION=f"Api-Key {self.keys[actor]}")
        client = Client()
        client.force_login(self.users[actor])
        return client

    def record(self, name: str, finder: Callable[[], Any]) -> Any:
        """A named record of the demo, looked up once (``finder`` runs the first time)."""
        if name not in self.records:
            self.records[name] = finder()
        return self.records[name]


def build_world() -> World:
    from portal.accounts.models import Role, User
    from portal.accounts.services import assign_role, create_system_client

    call_command("load_demo", verbosity=0, stdout=StringIO())
    city_admin, _ = User.objects.get_or_create(username="city_admin", real_name="市级管理员")
    assign_role(city_admin, Role.ADMINISTRATOR)
    world = World()
    for actor, (username, _) in ACTORS.items():
        if username is None:
            continue
        if username.startswith("key:"):
            scopes = username[4:].split(",")
            _client, key = create_system_client(name=f"matrix-{actor}", scopes=scopes)
            world.keys[actor] = key
        else:
            world.users[actor] = User.objects.get(username=username)
    # Fire the demo's deferred foreign-key checks now, in the outer transaction. Left pending,
    # PostgreSQL runs them all again at each test's end (Django checks constraints before it rolls
    # the test's savepoint back, and the rollback marks them pending again): seconds per cell.
    connection.check_constraints()
    return world


class _Rollback:
    """An outer atomic block for the module's data, rolled back at the end."""

    def __enter__(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        return self

    def __exit__(self, *exc):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        return False
