"""The portal's django-q2 schedules, declared once in code and synced to the database.

Each app declares the periodic tasks it needs in its ``AppConfig.ready()``::

    from portal import schedules

    schedules.declare("legal_aid.daily", "legal_aid.tasks.daily", cron="30 7 * * *")

After every ``migrate`` (a ``post_migrate`` handler, see ``portal.apps``) and on
``manage.py sync_schedules``, :func:`sync` makes the ``Schedule`` table match the declarations:
it creates what is missing, updates a schedule whose function, cron string or interval changed,
and removes a schedule of one of the portal's own task functions that no app declares any more.
Schedules of other functions (added by hand in the admin) are left alone. Cron strings are in
the portal's time zone (``TIME_ZONE``, Beijing time). Decision: docs/adr/0090-toolchain.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

# the portal's own task functions live in these packages (the apps in this repository)
OWN_PACKAGES = ("portal.", "approvals.", "outlets.", "legal_aid.")


@dataclass(frozen=True)
class Declared:
    name: str
    func: str  # dotted path of the task function
    cron: str | None = None  # a cron string, local time
    minutes: int | None = None  # or every so many minutes

    @property
    def schedule_type(self) -> str:
        from django_q.models import Schedule

        return Schedule.CRON if self.cron else Schedule.MINUTES


_declared: dict[str, Declared] = {}


def declare(name: str, func: str, *, cron: str | None = None, minutes: int | None = None) -> None:
    """Run ``func`` (a dotted path) on ``cron`` (local time) or every ``minutes``."""
    if (cron is None) == (minutes is None):
        raise ValueError(f"schedule {name!r}: give either cron or minutes")
    if not func.startswith(OWN_PACKAGES):
        raise ValueError(f"schedule {name!r}: {func} is not one of the portal's task functions")
    known = _declared.get(name)
    entry = Declared(name, func, cron, minutes)
    if known is not None and known != entry:
        raise ValueError(f"schedule {name!r} is declared twice, differently")
    _declared[name] = entry


def declared() -> list[Declared]:
    return sorted(_declared.values(), key=lambda d: d.name)


@dataclass
class SyncResult:
    created: list[str]
    updated: list[str]
    removed: list[str]


def sync(using: str = "default") -> SyncResult:
    """Make the database's schedules match the declarations (idempotent)."""
    from django_q.models import Schedule

    result = SyncResult([], [], [])
    wanted = {d.name: d for d in declared()}
    with transaction.atomic(using=using):
        rows = Schedule.objects.using(using).select_for_update()
        existing = {s.name: s for s in rows if s.name}
        for name, want in wanted.items():
            values = {
                "func": want.func,
                "schedule_type": want.schedule_type,
                "cron": want.cron,
                "minutes": want.minutes,
                "repeats": -1,
            }
            row = existing.get(name)
            if row is None:
                Schedule(name=name, **values).save(using=using)  # save() computes a cron's next run
                result.created.append(name)
                continue
            changed = {k: v for k, v in values.items() if getattr(row, k) != v}
            for key, value in changed.items():
                setattr(row, key, value)
            if row.schedule_type == Schedule.CRON and not _on_cron(row):
                # a new cron string, or a row written without Schedule.save() (a migration)
                row.next_run = row.calculate_next_run()
                changed["next_run"] = row.next_run
            if not changed:
                continue
            row.save(using=using)
            result.updated.append(name)
        for name, row in existing.items():
            if name not in wanted and row.func.startswith(OWN_PACKAGES):
                row.delete()
                result.removed.append(name)
    return result


def _on_cron(row) -> bool:
    """Is the row's next run one of the times its cron string names (local time)?"""
    from django.utils import timezone
    from django_q.conf import croniter

    if row.next_run is None:
        return False
    return bool(croniter.match(row.cron, timezone.localtime(row.next_run)))


def sync_after_migrate(sender, using: str = "default", plan=None, **kwargs) -> None:
    """``post_migrate`` receiver: sync once the whole migrate has run (the django_q tables exist
    by then). A migrate that only rolled back (every step backwards) leaves the schedules alone."""
    from django.db import connections
    from django_q.models import Schedule

    if plan and all(backwards for _migration, backwards in plan):
        return
    if Schedule._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated back past django_q's tables
    sync(using=using)
