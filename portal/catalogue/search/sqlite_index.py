"""On SQLite, a full-text table over the items' ``search_tokens`` (ADR 0108): SQLite has no GIN
index, and a scan of the documents grows with the catalogue. FTS5's ``unicode61`` tokenizer splits
the document on its spaces and keeps a run of Chinese characters whole, so it indexes exactly the
document's tokens (社保, shebao, 结婚 ...). Its three columns are the three token columns: the
search asks the first for a match and the two others for the ranking (name, keywords), each as a
full-text query, so neither grows with the rows that matched.

The table is external-content (it stores no copy of the text) and kept by three triggers on
``catalogue_serviceitem``, so every write path keeps it current, bulk inserts and updates
included. Django rebuilds an SQLite table for some schema changes, which drops its triggers: after
every ``migrate`` (``post_migrate``) the table and triggers are made again when missing, and the
index rebuilt then (and when the table's definition changed). PostgreSQL does nothing here
(its GIN index is in migration 0004)."""

# The statements are built from the module's own constant table and trigger names, no input.
# ruff: noqa: S608

from __future__ import annotations

from portal.catalogue.search.query import FTS

TABLE = "catalogue_serviceitem"
COLUMNS = ("search_tokens", "search_name_tokens", "search_keyword_tokens")
_columns = ", ".join(COLUMNS)
_new = ", ".join(f"new.{c}" for c in COLUMNS)
_old = ", ".join(f"old.{c}" for c in COLUMNS)
CREATE = (
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({_columns}, content='{TABLE}', content_rowid='id', "
    "tokenize='unicode61')"
)
TRIGGERS = {
    f"{FTS}_ai": f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON {TABLE} BEGIN
        INSERT INTO {FTS}(rowid, {_columns}) VALUES (new.id, {_new});
    END""",
    f"{FTS}_ad": f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, {_columns}) VALUES ('delete', old.id, {_old});
    END""",
    f"{FTS}_au": f"""CREATE TRIGGER {FTS}_au AFTER UPDATE OF {_columns} ON {TABLE} BEGIN
        INSERT INTO {FTS}({FTS}, rowid, {_columns}) VALUES ('delete', old.id, {_old});
        INSERT INTO {FTS}(rowid, {_columns}) VALUES (new.id, {_new});
    END""",
}


def ensure(connection) -> bool:
    """Make the full-text table and its triggers where missing or different (SQLite only) and
    fill the table then; True when something was made."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'trigger') AND name IN "
            f"({', '.join(['%s'] * (len(TRIGGERS) + 2))})",
            [FTS, TABLE, *TRIGGERS],
        )
        present = dict(cursor.fetchall())
        wanted = {FTS: CREATE, **TRIGGERS}
        if TABLE not in present or all(present.get(n) == sql for n, sql in wanted.items()):
            return False
        for name in TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS}")
        for sql in wanted.values():
            cursor.execute(sql)
        cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
    return True


def after_migrate(sender, using: str = "default", **kwargs) -> None:
    from django.db import connections

    if getattr(sender, "name", "") == "portal.catalogue":
        ensure(connections[using])
