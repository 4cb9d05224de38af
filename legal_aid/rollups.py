"""The statistics' rollups (ADR 0100, extended by issue 18): what each application adds to the
figures of its groups, at the grain of the local day of submission and at the grain of its local
month, kept by triggers on the applications table and rebuilt set-based by :func:`rebuild`.
Three rollups, each a :class:`Spec` (its table, its group keys, its counters):

- the applications' figures per competent centre, category, channel and month
  (``ApplicationRollup``);
- the recipients' figures per competent centre, sex, age band and group (``RecipientRollup``:
  counted, never listed by person);
- the lawyers' figures per competent centre and lawyer (``LawyerRollup``; lawyer 0: none yet).

Why triggers and not the services: the figures must be exact whoever writes an application
(the workflow's steps, the submission, the daily lapse's bulk UPDATE, a history replayed in bulk,
the admin, a bulk loader's INSERT ... SELECT), in the writer's own transaction, with no window
in which a committed step is not yet counted. A trigger is the one place every writer passes.

- PostgreSQL: statement-level triggers with transition tables: one aggregated UPSERT per
  statement, so a bulk load of 200,000 rows costs one GROUP BY, and a step one small upsert.
- SQLite: row-level triggers (SQLite has no statement-level ones), an UPSERT per row.

The per-row contributions are written once, here, and used by the triggers and by
:func:`rebuild`; a change to them needs a migration that calls :func:`install` again (which does
nothing on a schema that lacks a column they read: an early migration on a new database).
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction

APPLICATIONS = "legal_aid_legalaidapplication"
GRAINS = ("day", "month")


@dataclass(frozen=True)
class Spec:
    name: str  # the triggers' and functions' name: legal_aid_<name>_<op>
    table: str
    keys: tuple[
        tuple[str, str], ...
    ]  # (column, expression of the row alias {r}) after grain, period
    counters: dict[str, str]  # counter -> what one application adds, in terms of {r}

    @property
    def key_columns(self) -> tuple[str, ...]:
        return ("grain", "period", *(column for column, _expr in self.keys))

    @property
    def reads(self) -> tuple[str, ...]:
        """The application's columns the rollup reads: an UPDATE changing none adds nothing."""
        found: list[str] = ["submitted_at"]
        for expr in [e for _c, e in self.keys] + list(self.counters.values()):
            for column in _COLUMNS:
                if "{r}." + column in expr and column not in found:
                    found.append(column)
        return tuple(found)


# every application column a rollup may read (Spec.reads finds them in the expressions)
_COLUMNS = (
    "competent_centre_id",
    "category",
    "channel",
    "month",
    "decision",
    "urgency",
    "aid_first",
    "decision_seconds",
    "decided_late",
    "assignment_seconds",
    "assigned_late",
    "consultation_id",
    "closed_at",
    "handling_seconds",
    "sex",
    "age_band",
    "recipient_group",
    "lawyer_id",
    "state",
)

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
    "closed": "CASE WHEN {r}.handling_seconds IS NOT NULL THEN 1 ELSE 0 END",
    "handling_seconds": "COALESCE({r}.handling_seconds, 0)",
}

APPLICATION_ROLLUP = Spec(
    name="rollup",
    table="legal_aid_applicationrollup",
    keys=(
        ("competent_centre_id", "{r}.competent_centre_id"),
        ("category", "{r}.category"),
        ("channel", "{r}.channel"),
        ("month", "{r}.month"),
    ),
    counters=COUNTERS,
)
RECIPIENT_ROLLUP = Spec(
    name="recipients",
    table="legal_aid_recipientrollup",
    keys=(
        ("competent_centre_id", "{r}.competent_centre_id"),
        ("sex", "{r}.sex"),
        ("age_band", "{r}.age_band"),
        ("recipient_group", "{r}.recipient_group"),
    ),
    counters={name: COUNTERS[name] for name in ("applications", "granted", "refused")},
)
LAWYER_ROLLUP = Spec(
    name="lawyers",
    table="legal_aid_lawyerrollup",
    keys=(
        ("competent_centre_id", "{r}.competent_centre_id"),
        ("lawyer_id", "COALESCE({r}.lawyer_id, 0)"),
    ),
    counters={
        "assigned": "CASE WHEN {r}.lawyer_id IS NOT NULL THEN 1 ELSE 0 END",
        "open": "CASE WHEN {r}.lawyer_id IS NOT NULL AND {r}.state IN "
        "('lawyer_assigned', 'in_progress') THEN 1 ELSE 0 END",
        "closed": COUNTERS["closed"],
        "handling_seconds": COUNTERS["handling_seconds"],
    },
)
SPECS = (APPLICATION_ROLLUP, RECIPIENT_ROLLUP, LAWYER_ROLLUP)

# the application rollup's names, as the tests and the bench read them
ROLLUP = APPLICATION_ROLLUP.table
KEYS = APPLICATION_ROLLUP.key_columns
READS = APPLICATION_ROLLUP.reads


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


def _keys(spec: Spec, r: str, vendor: str, grain: str) -> list[str]:
    return [f"'{grain}'", _period(r, vendor, grain), *(e.format(r=r) for _c, e in spec.keys)]


def _columns(spec: Spec) -> str:
    return ", ".join((*spec.key_columns, *spec.counters))


def _grouped_select(spec: Spec, r: str, source: str, vendor: str, where: str = "") -> str:
    """Each group's sums over ``source`` (the applications, or a transition table), at both
    grains, in key order (rows locked in one order: no deadlock between two writers)."""
    sums = [f"SUM({expr.format(r=r)})" for expr in spec.counters.values()]
    positions = ", ".join(str(n) for n in range(1, len(spec.key_columns) + 1))
    selects = [
        f"SELECT {', '.join(_keys(spec, r, vendor, grain) + sums)} FROM {source} {r} {where} "
        f"GROUP BY {positions}"
        for grain in GRAINS
    ]
    return f"SELECT * FROM ({' UNION ALL '.join(selects)}) AS g ORDER BY {positions}"


def _add_on_conflict(spec: Spec, vendor: str) -> str:
    prefix = f"{spec.table}." if vendor == "postgresql" else ""
    updates = ", ".join(f"{c} = {prefix}{c} + excluded.{c}" for c in spec.counters)
    return f"ON CONFLICT ({', '.join(spec.key_columns)}) DO UPDATE SET {updates}"


def _changed(spec: Spec, o: str, n: str) -> str:
    return " OR ".join(f"{o}.{c} IS DISTINCT FROM {n}.{c}" for c in spec.reads)


def _postgresql_sql(spec: Spec) -> list[str]:
    v, table = "postgresql", spec.table
    add = f"INSERT INTO {table} ({_columns(spec)}) {{select}} {_add_on_conflict(spec, v)};"
    subtract_set = ", ".join(f"{c} = {table}.{c} - d.{c}" for c in spec.counters)
    key_match = " AND ".join(f"{table}.{k} = d.{k}" for k in spec.key_columns)
    names = ", ".join((*spec.key_columns, *spec.counters))

    def subtract(select: str) -> str:
        return (
            f"UPDATE {table} SET {subtract_set} FROM ({select}) AS d ({names}) WHERE {key_match};"
        )

    # an UPDATE counts only the rows whose read columns changed (a step's save rewrites all)
    changed = _changed(spec, "o", "n")
    changed_old = f"WHERE EXISTS (SELECT 1 FROM new_rows n WHERE n.id = o.id AND ({changed}))"
    changed_new = f"WHERE EXISTS (SELECT 1 FROM old_rows o WHERE o.id = n.id AND ({changed}))"
    functions = {
        "insert": add.format(select=_grouped_select(spec, "n", "new_rows", v)),
        "delete": subtract(_grouped_select(spec, "o", "old_rows", v)),
        "update": subtract(_grouped_select(spec, "o", "old_rows", v, changed_old))
        + "\n"
        + add.format(select=_grouped_select(spec, "n", "new_rows", v, changed_new)),
    }
    referencing = {
        "insert": "NEW TABLE AS new_rows",
        "delete": "OLD TABLE AS old_rows",
        "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    }
    statements = []
    for op, body in functions.items():
        name = f"legal_aid_{spec.name}_{op}"
        statements += [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN\n{body}\nRETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS {name} ON {APPLICATIONS}",
            f"CREATE TRIGGER {name} AFTER {op.upper()} ON {APPLICATIONS} "
            f"REFERENCING {referencing[op]} FOR EACH STATEMENT EXECUTE FUNCTION {name}()",
        ]
    return statements


def _sqlite_sql(spec: Spec) -> list[str]:
    v, table = "sqlite", spec.table

    def add(r: str) -> str:
        statements = []
        for grain in GRAINS:
            values = ", ".join(
                _keys(spec, r, v, grain) + [e.format(r=r) for e in spec.counters.values()]
            )
            statements.append(
                f"INSERT INTO {table} ({_columns(spec)}) VALUES ({values}) "
                f"{_add_on_conflict(spec, v)};"
            )
        return "\n".join(statements)

    def subtract(r: str) -> str:
        sets = ", ".join(f"{c} = {c} - ({e.format(r=r)})" for c, e in spec.counters.items())
        statements = []
        for grain in GRAINS:
            keys = zip(spec.key_columns, _keys(spec, r, v, grain), strict=True)
            match = " AND ".join(f"{k} = {e}" for k, e in keys)
            statements.append(f"UPDATE {table} SET {sets} WHERE {match};")
        return "\n".join(statements)

    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in spec.reads)
    bodies = {
        "insert": ("", add("NEW")),
        "delete": ("", subtract("OLD")),
        "update": (f"WHEN {changed}", subtract("OLD") + "\n" + add("NEW")),
    }
    statements = []
    for op, (when, body) in bodies.items():
        name = f"legal_aid_{spec.name}_{op}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} AFTER {op.upper()} ON {APPLICATIONS} "
            f"FOR EACH ROW {when} BEGIN\n{body}\nEND",
        ]
    return statements


def trigger_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [s for spec in SPECS for s in _postgresql_sql(spec)]
    if vendor == "sqlite":
        return [s for spec in SPECS for s in _sqlite_sql(spec)]
    raise ImproperlyConfigured(f"no statistics rollup triggers for {vendor}")


def _schema_ready(conn) -> bool:
    """Every table and column the rollups name exists (not yet during the early migrations
    of a new database: the migration that added the last of them installs the triggers)."""
    with conn.cursor() as cursor:
        tables = set(conn.introspection.table_names(cursor))
        if not {APPLICATIONS, *(spec.table for spec in SPECS)} <= tables:
            return False
        columns = {c.name for c in conn.introspection.get_table_description(cursor, APPLICATIONS)}
        needed = {column for spec in SPECS for column in spec.reads}
        for spec in SPECS:
            have = {c.name for c in conn.introspection.get_table_description(cursor, spec.table)}
            if not set(spec.key_columns) | set(spec.counters) <= have:
                return False
    return needed <= columns


def install(schema_editor=None) -> None:
    """Create (or replace) the triggers; then :func:`rebuild`. Called by the migrations."""
    conn = schema_editor.connection if schema_editor is not None else connection
    if not _schema_ready(conn):
        uninstall(schema_editor)
        return
    with conn.cursor() as cursor:
        for statement in trigger_sql(conn.vendor):
            cursor.execute(statement)
    rebuild(conn)


def uninstall(schema_editor=None) -> None:
    conn = schema_editor.connection if schema_editor is not None else connection
    with conn.cursor() as cursor:
        for spec in SPECS:
            for op in ("insert", "update", "delete"):
                name = f"legal_aid_{spec.name}_{op}"
                if conn.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {APPLICATIONS}")
                    cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def rebuild(conn=None) -> int:
    """The rollups again from every application, set-based: per rollup one DELETE and one
    INSERT ... SELECT ... GROUP BY, in one transaction. For loaders that bypass the triggers
    and for repair (`manage.py rebuild_legal_aid_statistics`); returns the groups written."""
    conn = conn or connection
    written = 0
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        for spec in SPECS:
            cursor.execute(f"DELETE FROM {spec.table}")
            cursor.execute(
                f"INSERT INTO {spec.table} ({_columns(spec)}) "
                + _grouped_select(spec, "a", APPLICATIONS, conn.vendor)
            )
            written += max(cursor.rowcount, 0)
    return written
