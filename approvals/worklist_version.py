"""The worklists' versions (``WorklistVersion``): a number per scope that the database replaces
in the transaction of every statement that writes a case of that scope, so that the staff
worklist page can be kept under it (``portal.privatepage``, ADR 0123).

Scopes: ``d<department id>`` (the competent department's worklist), ``p<point id>`` (the cases
received at an acceptance point), and ``*``, raised for every scope at once by a write of an
acceptance point (its name is on every row) or a TRUNCATE of the cases. A reader asks for
``*`` and its own scopes; a missing ``*`` row (a test database flushed) means nothing may be
kept.

Triggers, not signals: cases are also written by bulk UPDATEs (the daily overdue scan, the
lapse of materials to follow), none of which send a signal. On PostgreSQL one trigger per
statement, with its transition tables, raises each scope the statement touched once (a bulk
UPDATE of 10,000 cases raises each department's number once); SQLite has row triggers only. A
scope's row is locked from the write to the commit, so writers of one department's cases queue
on it for the rest of their transactions; the rows are raised in scope order within a
statement. A new number is never one used before (a sequence on PostgreSQL; a random 63-bit
number on SQLite), as for the statistics (legal_aid/statistics_version.py).
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

TABLE = "approvals_worklistversion"
SEQUENCE = "case_wlver_seq"
ALL = "*"

_UPSERT = (
    f"INSERT INTO {TABLE} (scope, number) {{rows}} "
    "ON CONFLICT (scope) DO UPDATE SET number = EXCLUDED.number"
)


def _pg_scopes(*tables: str) -> str:
    parts = " UNION ".join(
        f"SELECT 'd' || department_id AS scope FROM {t} "  # noqa: S608
        f"UNION SELECT 'p' || accepting_point_id FROM {t}"
        for t in tables
    )
    return _UPSERT.format(
        rows=f"SELECT scope, nextval('{SEQUENCE}') FROM ({parts}) AS touched ORDER BY scope"  # noqa: S608
    )


def _pg_statements() -> list[str]:
    bump_all = _UPSERT.format(rows=f"VALUES ('{ALL}', nextval('{SEQUENCE}'))")
    return [
        f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}",
        "CREATE OR REPLACE FUNCTION case_wlver_bump() RETURNS trigger AS $$ BEGIN "
        f"IF TG_OP = 'INSERT' THEN {_pg_scopes('new_rows')}; "
        f"ELSIF TG_OP = 'DELETE' THEN {_pg_scopes('old_rows')}; "
        f"ELSE {_pg_scopes('old_rows', 'new_rows')}; "
        "END IF; RETURN NULL; END $$ LANGUAGE plpgsql",
        "CREATE OR REPLACE FUNCTION case_wlver_bump_all() RETURNS trigger AS $$ BEGIN "
        f"{bump_all}; RETURN NULL; END $$ LANGUAGE plpgsql",
        *_drop_pg(),
        "CREATE TRIGGER case_wlver_insert AFTER INSERT ON approvals_case "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION case_wlver_bump()",
        "CREATE TRIGGER case_wlver_update AFTER UPDATE ON approvals_case "
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION case_wlver_bump()",
        "CREATE TRIGGER case_wlver_delete AFTER DELETE ON approvals_case "
        "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION case_wlver_bump()",
        "CREATE TRIGGER case_wlver_truncate AFTER TRUNCATE ON approvals_case "
        "FOR EACH STATEMENT EXECUTE FUNCTION case_wlver_bump_all()",
        "CREATE TRIGGER case_wlver_point AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        "ON approvals_acceptancepoint FOR EACH STATEMENT EXECUTE FUNCTION case_wlver_bump_all()",
    ]


_PG_TRIGGERS = {
    "case_wlver_insert": "approvals_case",
    "case_wlver_update": "approvals_case",
    "case_wlver_delete": "approvals_case",
    "case_wlver_truncate": "approvals_case",
    "case_wlver_point": "approvals_acceptancepoint",
}


def _drop_pg() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table in _PG_TRIGGERS.items()]


def _sqlite_bump(scope: str) -> str:
    # INSERT ... SELECT needs a WHERE before ON CONFLICT (SQLite's parsing of upserts)
    return _UPSERT.format(rows=f"SELECT {scope}, abs(random()) WHERE true")


_SQLITE_TRIGGERS = {
    "case_wlver_insert": ("INSERT ON approvals_case", ["NEW"]),
    "case_wlver_update": ("UPDATE ON approvals_case", ["OLD", "NEW"]),
    "case_wlver_delete": ("DELETE ON approvals_case", ["OLD"]),
}
_SQLITE_POINT_OPS = ("insert", "update", "delete")


def _sqlite_statements() -> list[str]:
    statements = _drop_sqlite()
    for name, (event, rows) in _SQLITE_TRIGGERS.items():
        bumps = [
            _sqlite_bump(f"'{kind}' || {row}.{column}")
            for row in rows
            for kind, column in (("d", "department_id"), ("p", "accepting_point_id"))
        ]
        body = "".join(f"{bump}; " for bump in bumps)
        statements.append(f"CREATE TRIGGER {name} AFTER {event} FOR EACH ROW BEGIN {body}END")
    bump_all = _sqlite_bump(f"'{ALL}'")
    for op in _SQLITE_POINT_OPS:
        statements.append(
            f"CREATE TRIGGER case_wlver_point_{op} AFTER {op.upper()} ON approvals_acceptancepoint "
            f"FOR EACH ROW BEGIN {bump_all}; END"
        )
    return statements


def _drop_sqlite() -> list[str]:
    names = [*_SQLITE_TRIGGERS, *(f"case_wlver_point_{op}" for op in _SQLITE_POINT_OPS)]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def trigger_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return _pg_statements()
    if vendor == "sqlite":
        return _sqlite_statements()
    raise ImproperlyConfigured(f"no worklist version triggers for {vendor}")


def install(schema_editor) -> None:
    conn = schema_editor.connection
    with conn.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (scope, number) VALUES (%s, 1)", [ALL])  # noqa: S608
        for statement in trigger_sql(conn.vendor):
            cursor.execute(statement)


def uninstall(schema_editor) -> None:
    conn = schema_editor.connection
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            for statement in _drop_pg():
                cursor.execute(statement)
            cursor.execute("DROP FUNCTION IF EXISTS case_wlver_bump()")
            cursor.execute("DROP FUNCTION IF EXISTS case_wlver_bump_all()")
            cursor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
        else:
            for statement in _drop_sqlite():
                cursor.execute(statement)


def numbers(*, department_id: int | None, point_id: int | None) -> tuple[int, ...] | None:
    """The numbers of ``*``, the department's and the point's scope (0 for a scope never
    written), in one primary-key read; None when ``*`` is missing (nothing may be kept)."""
    scopes = [ALL, f"d{department_id}", f"p{point_id}"]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT scope, number FROM {TABLE} WHERE scope IN (%s, %s, %s)",  # noqa: S608
            scopes,
        )
        found = dict(cursor.fetchall())
    if ALL not in found:
        return None
    return tuple(found.get(scope, 0) for scope in scopes)
