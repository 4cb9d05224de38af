"""The statistics' version (``StatisticsVersion``): one row whose number the database changes in
the same transaction as every statement that changes a table the statistics read, so that
``legal_aid.statistics.cached_statistics`` can keep the computed figures under it.

Triggers, not signals: the applications are also written by bulk UPDATEs (the lapse sweep, the
survey answers), by INSERT ... SELECT (the benchmark's copy to 200,000) and by the rollup
rebuild, none of which send a signal. On PostgreSQL one trigger per statement (a bulk write
raises it once); SQLite has row triggers only. The number is read and raised inside
transactions like any row, so a reader never sees the new number before the rows it stands for
(a reader that computed from rows committed after it read the number stores newer figures under
the older number, which only the next request replaces).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

TABLE = "legal_aid_statisticsversion"
#: what the statistics read besides the rollups (which only the applications' triggers write)
WATCHED = (
    "legal_aid_legalaidapplication",
    "legal_aid_consultation",
    "legal_aid_centre",
    "legal_aid_lawyer",
    "legal_aid_lawfirm",
    # not read by the figures: a lawyer reads the applications offered to them, and the staff
    # worklist page is kept under this version too (ADR 0123)
    "legal_aid_caseoffer",
)
SEQUENCE = "la_statsver_seq"
# A number never used before, not number + 1: a transaction that raised it and then rolled back
# may have cached figures under its number (a request that wrote and then read); a later change
# must not arrive at the same number. PostgreSQL: a sequence (its values are never handed out
# twice, rollback or not); SQLite (one writer, development): a random 63-bit number.
_BUMP = {
    "postgresql": f"UPDATE {TABLE} SET number = nextval('{SEQUENCE}') WHERE id = 1",  # noqa: S608
    "sqlite": f"UPDATE {TABLE} SET number = abs(random()) WHERE id = 1",  # noqa: S608
}


def _name(table: str, op: str = "") -> str:
    return f"la_statsver_{table.removeprefix('legal_aid_')}{'_' + op if op else ''}"


def trigger_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        statements = [
            f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}",
            "CREATE OR REPLACE FUNCTION la_statsver_bump() RETURNS trigger AS $$ "
            f"BEGIN {_BUMP[vendor]}; RETURN NULL; END $$ LANGUAGE plpgsql",
        ]
        for table in WATCHED:
            statements += [
                f"DROP TRIGGER IF EXISTS {_name(table)} ON {table}",
                f"CREATE TRIGGER {_name(table)} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION la_statsver_bump()",
            ]
        return statements
    if vendor == "sqlite":
        statements = []
        for table in WATCHED:
            for op in ("insert", "update", "delete"):
                statements += [
                    f"DROP TRIGGER IF EXISTS {_name(table, op)}",
                    f"CREATE TRIGGER {_name(table, op)} AFTER {op.upper()} ON {table} "
                    f"FOR EACH ROW BEGIN {_BUMP[vendor]}; END",
                ]
        return statements
    raise ImproperlyConfigured(f"no statistics version triggers for {vendor}")


def install(schema_editor) -> None:
    conn = schema_editor.connection
    with conn.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (id, number) VALUES (1, 0)")  # noqa: S608
    install_triggers(schema_editor)


def install_triggers(schema_editor) -> None:
    """(Re)create the triggers on every watched table (each statement replaces its own)."""
    conn = schema_editor.connection
    with conn.cursor() as cursor:
        for statement in trigger_sql(conn.vendor):
            cursor.execute(statement)


def drop_triggers(schema_editor, tables: tuple[str, ...] = WATCHED) -> None:
    conn = schema_editor.connection
    with conn.cursor() as cursor:
        for table in tables:
            if conn.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {_name(table)} ON {table}")
            else:
                for op in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {_name(table, op)}")


def uninstall(schema_editor) -> None:
    drop_triggers(schema_editor)
    conn = schema_editor.connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("DROP FUNCTION IF EXISTS la_statsver_bump()")
            cursor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


def current() -> int | None:
    """The number now (one primary-key read), or None when the row is missing (a test database
    flushed by TRUNCATE): then nothing may be cached."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT number FROM {TABLE} WHERE id = 1")  # noqa: S608  (constants)
        row = cursor.fetchone()
    return None if row is None else row[0]
