#!/usr/bin/env python3
"""Create the PostgreSQL database named in DATABASE_URL when it does not exist yet.

Called by `make migrate` and the bench runner so that `DATABASE_URL=postgres://.../portal make run`
works on a server where only the cluster exists. Does nothing for SQLite (the file is created on
first use) or when the database is already there. Fails loudly when the server cannot be reached.
"""

from __future__ import annotations

import os
import sys


def ensure_database(url: str | None = None) -> str:
    url = url if url is not None else os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return "not PostgreSQL: nothing to do"
    import dj_database_url
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(url)
    name = cfg["NAME"]
    params = {
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        "dbname": "postgres",
        "connect_timeout": 10,
    }
    params = {k: v for k, v in params.items() if v is not None}
    with psycopg.connect(**params, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return f"database {name} exists"
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return f"created database {name}"


if __name__ == "__main__":
    try:
        message = ensure_database()
    except Exception as exc:  # noqa: BLE001  (print the cause and fail)
        print(f"Cannot prepare the database of DATABASE_URL: {exc}", file=sys.stderr)
        sys.exit(1)
    if "created" in message:
        print(message)
