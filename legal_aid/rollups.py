"""The statistics' rollup (ADR 0100): what each application adds to the figures of its groups
(competent centre, category, channel, month; at the grain of the local day of submission and
at the grain of its local month), kept by triggers on the applications table and rebuilt
set-based by :func:`rebuild`.

Why triggers and not the services: the figures must be exact whoever writes an application
(the workflow's steps, the submission, the daily lapse's bulk UPDATE, a history replayed in bulk,
the admin, a bulk loader's INSERT ... SELECT), in the writer's own transaction, with no window
in which a committed step is not yet counted. A trigger is the one place every writer passes.

- PostgreSQL: statement-level triggers with transition tables: one aggregated UPSERT per
  statement, so a bulk load of 200,000 rows costs one GROUP BY, and a step one small upsert.
- SQLite: row-level triggers (SQLite has no statement-level ones), an UPSERT per row.

The per-row contributions are written once, here (:data:`COUNTERS`), and used by the triggers
and by :func:`rebuild`; a change to them needs a migration that calls :func:`install` again.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

APPLICATIONS = "legal_aid_legalaidapplication"
ROLLUP = "legal_aid_applicationrollup"
KEYS = ("grain", "period", "competent_centre_id", "category", "channel", "month")
GRAINS = ("day", "month")

# counter -> what one application adds, in terms of the row alias {r}
COUNTERS: dict[str, str] = {
    "applications": "1",
    "granted": "CASE WHEN {r}.decision = 'granted' THEN 1 ELSE 0 END",
    "refused": "CASE WHEN {r}.decision = 'refused' THEN 1 ELSE 0 END",
    "urgent": "CASE WHEN {r}.urgency <> '' THEN 1 ELSE 0 END",
    "aid_first": "CASE WHEN {r}.aid_first THEN 1 ELSE 0 END",
    "decided": "CASE WHEN {r}.decision_seconds IS NOT NULL THEN 1 ELSE 0 END",
    "decision_seconds": "COALESCE({r}.decision_seconds, 0)",
    "decisions_late": "CASE WHEN {r}.decided_late THEN 1 ELSE 0 END",
    "assigned": "CASE WHEN {r}.assignment_seconds IS NOT NULL THEN 1 ELSE 0 END",
    "assignment_seconds": "COALESCE({r}.assignment_seconds, 0)",
    "assignments_late": "CASE WHEN {r}.assigned_late THEN 1 ELSE 0 END",
    "from_consultation": "CASE WHEN {r}.consultation_id IS NOT NULL THEN 1 ELSE 0 END",
}
# the application's columns the rollup reads: an UPDATE that changes none of them adds nothing
READS = (
    "competent_centre_id",
    "category",
    "channel",
    "month",
    "submitted_at",
    "decision",
    "urgency",
    "aid_first",
    "decision_seconds",
    "decided_late",
    "assignment_seconds",
    "assigned_late",
    "consultation_id",
)


def _fixed_offset_minutes() -> int:
    """SQLite has no time zones: the local day is the UTC time plus the zone's offset, which
    must therefore be fixed (Asia/Shanghai has had no daylight saving time since 1991)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    offsets = {
        datetime.datetime(2024, month, 1, tzinfo=zone).utcoffset() for month in (1, 4, 7, 10)
    }
    if len(offsets) != 1:
        raise ImproperlyConfigured(
            f"TIME_ZONE {settings.TIME_ZONE} has daylight saving time: the SQLite statistics "
            "rollup needs a fixed offset (use PostgreSQL)"
        )
    offset = offsets.pop()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def _period(r: str, vendor: str, grain: str) -> str:
    """The local date of the row's submission (day grain) or the first day of its local month
    (month grain), in SQL."""
    if vendor == "postgresql":
        zone = settings.TIME_ZONE.replace("'", "")
        local = f"({r}.submitted_at AT TIME ZONE '{zone}')"
        return f"{local}::date" if grain == "day" else f"date_trunc('month', {local})::date"
    shift = f"'{_fixed_offset_minutes():+d} minutes'"
    if grain == "day":
        return f"date({r}.submitted_at, {shift})"
    return f"date({r}.submitted_at, {shift}, 'start of month')"


def _keys(r: str, vendor: str, grain: str) -> list[str]:
    return [f"'{grain}'", _period(r, vendor, grain), *(f"{r}.{key}" for key in KEYS[2:])]


def _columns() -> str:
    return ", ".join((*KEYS, *COUNTERS))


def _grouped_select(r: str, source: str, vendor: str, where: str = "") -> str:
    """Each group's sums over ``source`` (the applications, or a transition table), at both
    grains, in key order (rows locked in one order: no deadlock between two writers)."""
    sums = [f"SUM({expr.format(r=r)})" for expr in COUNTERS.values()]
    positions = ", ".join(str(n) for n in range(1, len(KEYS) + 1))
    selects = [
        f"SELECT {', '.join(_keys(r, vendor, grain) + sums)} FROM {source} {r} {where} "
        f"GROUP BY {positions}"
        for grain in GRAINS
    ]
    return f"SELECT * FROM ({' UNION ALL '.join(selects)}) AS g ORDER BY {positions}"


def _add_on_conflict(vendor: str) -> str:
    target = ROLLUP if vendor == "postgresql" else ""
    prefix = f"{target}." if target else ""
    updates = ", ".join(f"{c} = {prefix}{c} + excluded.{c}" for c in COUNTERS)
    return f"ON CONFLICT ({', '.join(KEYS)}) DO UPDATE SET {updates}"


def _changed(o: str, n: str) -> str:
    return " OR ".join(f"{o}.{c} IS DISTINCT FROM {n}.{c}" for c in READS)


def _postgresql_sql() -> list[str]:
    v = "postgresql"
    add = f"INSERT INTO {ROLLUP} ({_columns()}) {{select}} {_add_on_conflict(v)};"
    subtract_set = ", ".join(f"{c} = {ROLLUP}.{c} - d.{c}" for c in COUNTERS)
    key_match = " AND ".join(f"{ROLLUP}.{k} = d.{k}" for k in KEYS)
    names = ", ".join((*KEYS, *COUNTERS))

    def subtract(select: str) -> str:
        return (
            f"UPDATE {ROLLUP} SET {subtract_set} FROM ({select}) AS d ({names}) WHERE {key_match};"
        )

    # an UPDATE counts only the rows whose read columns changed (a step's save rewrites all)
    changed = _changed("o", "n")
    changed_old = f"WHERE EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id AND ({changed}))"
    changed_new = f"WHERE EXISTS (SELECT 1 FROM old_rows o WHERE o.id = n.id AND ({changed}))"
    functions = {
        "insert": add.format(select=_grouped_select("n", "new_rows", v)),
        "delete": subtract(_grouped_select("o", "old_rows", v)),
        "update": subtract(_grouped_select("o", "old_rows", v, changed_old))
        + "\n"
        + add.format(select=_grouped_select("n", "new_rows", v, changed_new)),
    }
    referencing = {
        "insert": "NEW TABLE AS new_rows",
        "delete": "OLD TABLE AS old_rows",
        "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    }
    statements = []
    for op, body in functions.items():
        statements += [
            f"CREATE OR REPLACE FUNCTION legal_aid_rollup_{op}() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN\n{body}\nRETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS legal_aid_rollup_{op} ON {APPLICATIONS}",
            f"CREATE TRIGGER legal_aid_rollup_{op} AFTER {op.upper()} ON {APPLICATIONS} "
            f"REFERENCING {referencing[op]} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION legal_aid_rollup_{op}()",
        ]
    return statements


def _sqlite_sql() -> list[str]:
    v = "sqlite"

    def add(r: str) -> str:
        statements = []
        for grain in GRAINS:
            values = ", ".join(_keys(r, v, grain) + [e.format(r=r) for e in COUNTERS.values()])
            statements.append(
                f"INSERT INTO {ROLLUP} ({_columns()}) VALUES ({values}) {_add_on_conflict(v)};"
            )
        return "\n".join(statements)

    def subtract(r: str) -> str:
        sets = ", ".join(f"{c} = {c} - ({e.format(r=r)})" for c, e in COUNTERS.items())
        statements = []
        for grain in GRAINS:
            keys = zip(KEYS, _keys(r, v, grain), strict=True)
            match = " AND ".join(f"{k} = {e}" for k, e in keys)
            statements.append(f"UPDATE {ROLLUP} SET {sets} WHERE {match};")
        return "\n".join(statements)

    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in READS)
    bodies = {
        "insert": ("", add("NEW")),
        "delete": ("", subtract("OLD")),
        "update": (f"WHEN {changed}", subtract("OLD") + "\n" + add("NEW")),
    }
    statements = []
    for op, (when, body) in bodies.items():
        statements += [
            f"DROP TRIGGER IF EXISTS legal_aid_rollup_{op}",
            f"CREATE TRIGGER legal_aid_rollup_{op} AFTER {op.upper()} ON {APPLICATIONS} "
            f"FOR EACH ROW {when} BEGIN\n{body}\nEND",
        ]
    return statements


def trigger_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return _postgresql_sql()
    if vendor == "sqlite":
        return _sqlite_sql()
    raise ImproperlyConfigured(f"no statistics rollup triggers for {vendor}")


def install(schema_editor=None) -> None:
    """Create (or replace) the triggers; then :func:`rebuild`. Called by the migrations."""
    conn = schema_editor.connection if schema_editor is not None else connection
    with conn.cursor() as cursor:
        for statement in trigger_sql(conn.vendor):
            cursor.execute(statement)
    rebuild(conn)


def uninstall(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor is not None else connection
    with conn.cursor() as cursor:
        for op in ("insert", "update", "delete"):
            if conn.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS legal_aid_rollup_{op} ON {APPLICATIONS}")
                cursor.execute(f"DROP FUNCTION IF EXISTS legal_aid_rollup_{op}()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS legal_aid_rollup_{op}")


def rebuild(conn=None) -> int:
    """The rollup again from every application, set-based: one DELETE and one
    INSERT ... SELECT ... GROUP BY, in one transaction. For loaders that bypass the triggers
    and for repair (`manage.py rebuild_legal_aid_statistics`); returns the groups written."""
    conn = conn or connection
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ROLLUP}")
        cursor.execute(
            f"INSERT INTO {ROLLUP} ({_columns()}) "
            + _grouped_select("a", APPLICATIONS, conn.vendor)
        )
        return max(cursor.rowcount, 0)
