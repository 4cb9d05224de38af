"""PostgreSQL: the checked rows are COPied into a temporary staging table (psycopg's
``cursor.copy``, one long COPY at a time while Python reads on), then merged into the register
with one set-based ``INSERT ... ON CONFLICT ... DO UPDATE ... WHERE`` (changed rows only) and a
few statements for what hangs off a row (contacts, shareholders, deletions as status, licence
events and detection after an incremental file). ADR 0109.

A first load into an empty register takes a shorter way (:meth:`PostgresStage._load_companies`,
:meth:`PostgresStage._load_certificates`): plain ``INSERT ... SELECT`` with the ids given out in
advance, the secondary indexes, unique constraints and the foreign keys among the register's
tables dropped for the load and rebuilt after it (one sort and one anti-join each, instead of a
btree insertion and a deferred foreign-key check per row: 6 million of those at COMMIT for the
company register), then ANALYZE."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import DatabaseError, connection, transaction

from .models import ImportMode, Register

STAGE = "register_stage"
COPY_ROWS = 200_000  # one COPY statement per this many rows (progress is saved in between)
TEMP_BUFFERS = "256MB"  # the session's buffers for the staging table
WORK_MEM = "128MB"  # the checks' and the merge's hashes and sorts, in memory rather than on disk
# The index rebuilds of a first load sort in memory (the largest, 2.7 million shareholders' company
# ids, fits); LOCAL to the import's transaction, like the two settings above.
MAINTENANCE_WORK_MEM = "256MB"

COLUMNS = {
    Register.COMPANIES: (
        ("line", "int"),
        ("n", "int"),  # 1, 2, 3 ... in staging order: a first load's company is id base + n
        ("uscc", "text"),
        ("name", "text"),
        ("type", "text"),
        ("legal_representative", "text"),
        ("legal_representative_id", "text"),
        ("address", "text"),
        ("district", "text"),
        ("established_on", "date"),
        ("status", "text"),
        ("shareholders", "text"),
        ("mobile", "text"),
    ),
    Register.CERTIFICATES: (
        ("line", "int"),
        ("n", "int"),
        ("number", "text"),
        ("type_id", "int"),
        ("holder_uscc", "text"),
        ("grade", "text"),
        ("issued_on", "date"),
        ("expires_on", "date"),
        ("status", "text"),
        ("particulars", "jsonb"),
    ),
}
KEY = {Register.COMPANIES: "uscc", Register.CERTIFICATES: "number"}

HOLDERS_TEXT = "string_agg(h.name || ':' || COALESCE(h.share::text, ''), ';' ORDER BY h.id)"


def _fetch(sql: str, params: Any = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _run(sql: str, params: Any = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


# The tables a first load writes; the first is the register's own (it must be empty).
COMPANY_TABLES = ("proactive_company", "proactive_contactperson", "proactive_shareholder")
CERTIFICATE_TABLES = ("proactive_certificate",)


def _empty_for_load(tables: tuple[str, ...]) -> bool:
    """Whether the register is empty, with its tables locked until the end of the import's
    transaction (nobody writes them meanwhile; they are read again at its commit). A company
    register is "empty" when it has no company and no contact of a company (a person's contact,
    ADR 0111, does not count: it is kept and its indexes rebuilt with the rest)."""

    def empty() -> bool:
        if _fetch(f"SELECT 1 FROM {tables[0]} LIMIT 1"):
            return False
        return "proactive_contactperson" not in tables or not _fetch(
            "SELECT 1 FROM proactive_contactperson WHERE company_id IS NOT NULL LIMIT 1"
        )

    if not empty():
        return False  # the usual merge, which locks no more than the rows it writes
    _run("LOCK TABLE " + ", ".join(tables) + " IN SHARE ROW EXCLUSIVE MODE")
    return empty()


def _reserve_ids(table: str, rows: int) -> int:
    """Give out ``rows`` ids of the table's sequence at once; returns the one before the first
    (the rows get base + 1 ... base + rows; the sequence goes on after them)."""
    ((last,),) = _fetch(
        "SELECT setval(pg_get_serial_sequence(%(t)s, 'id'), "
        "nextval(pg_get_serial_sequence(%(t)s, 'id')) + %(n)s - 1)",
        {"t": table, "n": rows},
    )
    return int(last) - rows


@contextmanager
def _without_secondary_indexes(
    tables: tuple[str, ...], register: tuple[str, ...] = ()
) -> Iterator[None]:
    """Drop the tables' secondary indexes, unique constraints (none a foreign key relies on)
    and their foreign keys to one another and to the ``register`` tables (the certificates'
    holder: the company register) for a bulk load, and put them back after it, exactly as
    they were (their definitions are read from the catalogue, names and all, so the schema stays
    the one the migrations made). Rebuilding an index sorts once; re-adding a foreign key checks
    the whole table with one anti-join, where the load would otherwise queue a deferred check
    (a ``SELECT ... FOR KEY SHARE`` of the company) per row and run them all at COMMIT. Inside
    the import's transaction: a failure restores everything. The tables are locked ACCESS
    EXCLUSIVE until the commit (a first load: there is nothing to read in them yet), and so is
    a ``register`` table whose foreign key is dropped (dropping a foreign key locks the table it
    points to): a first load of the certificates keeps readers of the companies waiting for its
    few seconds, where the check per certificate (a ``FOR KEY SHARE`` lock written into each
    company's row: WAL and dirty pages for 600,000 companies) took 12 s of its 40. Foreign keys
    to the reference tables (districts, certificate types, people, accounts) stay: locking
    those would stop every page that reads them for the whole load; a check of the same
    handful of district rows again and again costs the company register about 7 µs a row."""
    _run("LOCK TABLE " + ", ".join(tables + register) + " IN ACCESS EXCLUSIVE MODE")
    names = list(tables)
    foreign = _fetch(
        """
        SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE contype = 'f' AND conrelid = ANY(%(t)s::regclass[])
          AND confrelid = ANY(%(to)s::regclass[])
        ORDER BY conname
        """,
        {"t": names, "to": names + list(register)},
    )
    unique = _fetch(
        """
        SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        WHERE c.contype = 'u' AND c.conrelid = ANY(%s::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint f
                          WHERE f.contype = 'f' AND f.conindid = c.conindid)
        ORDER BY c.conname
        """,
        [names],
    )
    indexes = _fetch(
        """
        SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
        WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        ORDER BY 1
        """,
        [names],
    )
    # The foreign keys that stay (to other tables): deferred, their checks of the load's rows
    # would be pending at the rebuild, which PostgreSQL refuses on a table with pending checks.
    # They are made IMMEDIATE around the drops and the rebuild (the checks run there, the
    # same checks), then given back the mode they had.
    kept = _fetch(
        """
        SELECT conname, condeferred FROM pg_constraint
        WHERE contype = 'f' AND condeferrable AND conrelid = ANY(%(t)s::regclass[])
          AND NOT confrelid = ANY(%(to)s::regclass[])
        ORDER BY conname
        """,
        {"t": names, "to": names + list(register)},
    )
    every = ", ".join(
        f'"{name}"' for _table, name, definition in foreign if "DEFERRABLE" in definition
    )
    checks = ", ".join(f'"{name}"' for name, _deferred in kept)
    deferred = ", ".join(f'"{name}"' for name, was_deferred in kept if was_deferred)
    if every or checks:
        _run(f"SET CONSTRAINTS {', '.join(filter(None, (every, checks)))} IMMEDIATE")
    if deferred:
        _run(f"SET CONSTRAINTS {deferred} DEFERRED")
    for table, name, _definition in foreign + unique:
        _run(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        _run(f"DROP INDEX {name}")
    yield
    if checks:
        _run(f"SET CONSTRAINTS {checks} IMMEDIATE")
    for _name, definition in indexes:
        _run(definition)
    for table, name, definition in unique + foreign:
        _run(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    if deferred:
        _run(f"SET CONSTRAINTS {deferred} DEFERRED")
    # Statistics now, not when autovacuum comes by: the planner took the freshly loaded tables
    # for empty and joined the certificates to the companies by a nested loop (the history
    # rule's detection at 100,000 cases: 9 s, at a million, hours). A sample; a second or so.
    _run("ANALYZE " + ", ".join(tables))


class PostgresStage:
    def __init__(self, register: str) -> None:
        self.register = register
        self.columns = COLUMNS[register]
        self.key = KEY[register]
        self.rows = 0
        self._copy_cm: Any = None
        self._copy: Any = None
        self._in_copy = 0
        connection.ensure_connection()
        # The staging table is temporary (no WAL); give it room in the session's local buffers
        # (8 MB by default: a 1.79-million-row table would go through them to disk every read).
        # Only possible before the session's first temporary table, hence the savepoint.
        try:
            with transaction.atomic():
                _run(f"SET temp_buffers = '{TEMP_BUFFERS}'")
        except DatabaseError:
            pass
        _run(f"DROP TABLE IF EXISTS pg_temp.{STAGE}")
        _run(
            f"CREATE TEMP TABLE {STAGE} ("
            + ", ".join(f"{name} {kind}" for name, kind in self.columns)
            + ")"
        )

    # ----- staging --------------------------------------------------------------------------

    def add(self, line: int, values: tuple) -> None:
        if self._copy is None:
            self._cursor = connection.connection.cursor()
            names = ", ".join(name for name, _kind in self.columns)
            self._copy_cm = self._cursor.copy(f"COPY {STAGE} ({names}) FROM STDIN")
            self._copy = self._copy_cm.__enter__()
        self.rows += 1
        self._copy.write_row((line, self.rows, *values))
        self._in_copy += 1
        if self._in_copy >= COPY_ROWS:
            self.flush()

    def flush(self) -> None:
        """End the COPY under way (the connection is free for other statements after it)."""
        if self._copy is not None:
            self._copy_cm.__exit__(None, None, None)
            self._cursor.close()
            self._copy = self._copy_cm = None
            self._in_copy = 0

    def finish(self) -> None:
        self.flush()
        _run(f"ANALYZE {STAGE}")

    def drop(self) -> None:
        self.flush()
        _run(f"DROP TABLE IF EXISTS pg_temp.{STAGE}")

    # ----- set-based checks -----------------------------------------------------------------

    def problems(
        self, limit: int, maybe_twice: bool = True
    ) -> tuple[list[tuple[int, str, str]], int]:
        """Rows bad only in the light of others: a key that comes twice (every occurrence after
        the first; looked for only when ``maybe_twice``: the reading saw a key's hash again),
        a certificate whose holder is not in the company register."""
        with transaction.atomic():  # for SET LOCAL: the hash of 1.79 million keys in memory
            _run(f"SET LOCAL work_mem = '{WORK_MEM}'")
            return self._problems(limit, maybe_twice)

    def _problems(self, limit: int, maybe_twice: bool) -> tuple[list[tuple[int, str, str]], int]:
        from django.utils.translation import gettext as _

        found: list[tuple[int, str, str]] = []
        total = 0
        twice = maybe_twice and _fetch(
            f"SELECT {self.key} FROM {STAGE} GROUP BY {self.key} HAVING count(*) > 1 LIMIT %s",
            [limit + 1],
        )
        if twice:
            rows = _fetch(
                f"""
                SELECT line, {self.key}, first FROM (
                    SELECT line, {self.key}, min(line) OVER (PARTITION BY {self.key}) AS first
                    FROM {STAGE} WHERE {self.key} = ANY(%s)
                ) t WHERE line <> first ORDER BY line
                """,
                [[k for (k,) in twice]],
            )
            total += len(rows)
            found += [
                (
                    line,
                    self.key,
                    _("%(value)s appears again (first on line %(first)s).")
                    % {"value": key, "first": first},
                )
                for line, key, first in rows[:limit]
            ]
        if self.register == Register.CERTIFICATES:
            missing = _fetch(
                f"""
                SELECT line, holder_uscc, count(*) OVER () FROM {STAGE} s
                WHERE NOT EXISTS (SELECT 1 FROM proactive_company co WHERE co.uscc = s.holder_uscc)
                ORDER BY line LIMIT %s
                """,
                [limit],
            )
            if missing:
                total += missing[0][2]
                found += [
                    (
                        line,
                        "holder_uscc",
                        _("No company with this code is in the register: %(value)s.")
                        % {"value": uscc},
                    )
                    for line, uscc, _n in missing
                ]
        return found, total

    # ----- the merge ------------------------------------------------------------------------

    def merge(self, mode: str, import_id: int, today: datetime.date, now: datetime.datetime):
        """Runs in the import's transaction (the caller's ``atomic``), with its own settings.

        ``synchronous_commit = off``: the COMMIT does not wait for the WAL to reach the disk.
        Safe for this all-or-nothing import: a crash of the server in the instant after the
        COMMIT (three times ``wal_writer_delay`` at most) loses the whole transaction, never a
        part of it, and the import's record, saved *done* in the same transaction, goes with
        it: it then still reads *merging*, not done, so the same file is simply run again
        (nothing else depends on it: any later commit that waits for its WAL, such as the
        offers queued after an incremental file, makes the import's WAL durable first)."""
        _run(f"SET LOCAL work_mem = '{WORK_MEM}'")
        _run(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
        _run("SET LOCAL synchronous_commit = off")
        if self.register == Register.COMPANIES:
            if self.rows and _empty_for_load(COMPANY_TABLES):
                return self._load_companies(now)
            return self._merge_companies(mode, import_id, today, now)
        if self.rows and _empty_for_load(CERTIFICATE_TABLES):
            return self._load_certificates()
        return self._merge_certificates(mode, now)

    # ----- the first load into an empty register ------------------------------------------

    def _load_companies(self, now) -> dict[str, Any]:
        """The companies, the legal representatives' contacts and the shareholders, each one
        plain ``INSERT ... SELECT`` from the staged rows: the register is empty, so there is
        nothing to compare, no conflict to arbitrate and nothing to delete; every company gets
        the id ``base + n`` given out in advance, so its contact and shareholders need no join
        to find it."""
        base = _reserve_ids("proactive_company", self.rows)
        with _without_secondary_indexes(COMPANY_TABLES):
            _run(
                f"""
                INSERT INTO proactive_company (id, uscc, name, type, legal_representative,
                    legal_representative_id_number, address, district_id, established_on, status,
                    updated_at)
                SELECT %(base)s + n, uscc, name, type, legal_representative,
                       legal_representative_id, address, district, established_on, status, %(now)s
                FROM {STAGE}
                """,
                {"base": base, "now": now},
            )
            _run(
                f"""
                INSERT INTO proactive_contactperson (company_id, role, name, mobile, wechat_id,
                    email)
                SELECT %(base)s + n, 'legal_representative', legal_representative, mobile, '', ''
                FROM {STAGE} WHERE mobile <> ''
                """,
                {"base": base},
            )
            # In file order within a company (the register's text is aggregated ORDER BY id):
            # a scan of the staged rows, each row's list unnested in place, gives that order.
            _run(
                f"""
                INSERT INTO proactive_shareholder (company_id, name, share)
                SELECT %(base)s + s.n, split_part(x.part, ':', 1),
                       NULLIF(split_part(x.part, ':', 2), '')::numeric
                FROM {STAGE} s
                CROSS JOIN LATERAL unnest(string_to_array(s.shareholders, ';')) AS x(part)
                WHERE s.shareholders <> ''
                """,
                {"base": base},
            )
        return {"inserted": self.rows, "updated": 0, "unchanged": 0, "deleted": 0, "offers": []}

    def _load_certificates(self) -> dict[str, Any]:
        """The certificates into an empty register: one ``INSERT ... SELECT`` (the holder's id
        by one hash join on the USCC)."""
        with _without_secondary_indexes(CERTIFICATE_TABLES, register=("proactive_company",)):
            _run(
                f"""
                INSERT INTO proactive_certificate (number, type_id, grade, company_id, issued_on,
                    expires_on, particulars, status, verification_code, case_reference, pdf)
                SELECT s.number, s.type_id, s.grade, co.id, s.issued_on, s.expires_on,
                       s.particulars, s.status,
                       upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 16)), '', ''
                FROM {STAGE} s JOIN proactive_company co ON co.uscc = s.holder_uscc
                """
            )
        return {"inserted": self.rows, "updated": 0, "unchanged": 0, "deleted": 0, "offers": []}

    def _merge_companies(self, mode, import_id, today, now) -> dict[str, Any]:
        incremental = mode == ImportMode.INCREMENTAL
        _run("DROP TABLE IF EXISTS pg_temp.register_touched")
        _run("CREATE TEMP TABLE register_touched (id int, inserted bool) ON COMMIT DROP")
        if incremental:
            # What the rows were before: the licence particulars a change of which makes offers.
            _run("DROP TABLE IF EXISTS pg_temp.register_before")
            _run(
                f"""
                CREATE TEMP TABLE register_before ON COMMIT DROP AS
                SELECT co.id, co.uscc, co.name, co.legal_representative, co.address,
                       COALESCE((SELECT {HOLDERS_TEXT} FROM proactive_shareholder h
                                 WHERE h.company_id = co.id), '') AS holders
                FROM {STAGE} s JOIN proactive_company co ON co.uscc = s.uscc
                """
            )
        compared = (
            "name, type, legal_representative, legal_representative_id_number, address, "
            "district_id, established_on, status"
        )
        _run(
            f"""
            WITH merged AS (
                INSERT INTO proactive_company AS co
                    (uscc, {compared}, updated_at)
                SELECT uscc, name, type, legal_representative, legal_representative_id, address,
                       district, established_on, status, %(now)s
                FROM {STAGE}
                ON CONFLICT (uscc) DO UPDATE SET
                    {", ".join(f"{c} = EXCLUDED.{c}" for c in compared.split(", "))},
                    updated_at = EXCLUDED.updated_at
                WHERE ({", ".join("co." + c for c in compared.split(", "))})
                      IS DISTINCT FROM
                      ({", ".join("EXCLUDED." + c for c in compared.split(", "))})
                RETURNING co.id, (co.xmax = 0) AS inserted
            )
            INSERT INTO register_touched SELECT id, inserted FROM merged
            """,
            {"now": now},
        )
        # The legal representative's registered mobile: his or her contact, added or corrected.
        _run(
            f"""
            WITH contacts AS (
                INSERT INTO proactive_contactperson AS cp
                    (company_id, role, name, mobile, wechat_id, email)
                SELECT co.id, 'legal_representative', s.legal_representative, s.mobile, '', ''
                FROM {STAGE} s JOIN proactive_company co ON co.uscc = s.uscc
                WHERE s.mobile <> ''
                ON CONFLICT (company_id, role, name) DO UPDATE SET mobile = EXCLUDED.mobile
                WHERE cp.mobile IS DISTINCT FROM EXCLUDED.mobile
                RETURNING cp.company_id
            )
            INSERT INTO register_touched SELECT company_id, false FROM contacts
            """
        )
        # Shareholders: replaced where the file's list differs from the register's.
        holders_scope = (
            f"WHERE h.company_id IN (SELECT co.id FROM {STAGE} s "
            "JOIN proactive_company co ON co.uscc = s.uscc)"
            if incremental
            else ""
        )
        _run("DROP TABLE IF EXISTS pg_temp.register_holders")
        _run(
            f"""
            CREATE TEMP TABLE register_holders ON COMMIT DROP AS
            SELECT co.id AS company_id, s.shareholders
            FROM {STAGE} s JOIN proactive_company co ON co.uscc = s.uscc
            LEFT JOIN (SELECT h.company_id, {HOLDERS_TEXT} AS text FROM proactive_shareholder h
                       {holders_scope} GROUP BY h.company_id) h ON h.company_id = co.id
            WHERE COALESCE(h.text, '') <> s.shareholders
            """
        )
        _run(
            "DELETE FROM proactive_shareholder WHERE company_id IN "
            "(SELECT company_id FROM register_holders)"
        )
        _run(
            """
            INSERT INTO proactive_shareholder (company_id, name, share)
            SELECT rh.company_id, split_part(x.part, ':', 1),
                   NULLIF(split_part(x.part, ':', 2), '')::numeric
            FROM register_holders rh
            CROSS JOIN LATERAL unnest(string_to_array(rh.shareholders, ';'))
                WITH ORDINALITY AS x(part, n)
            WHERE rh.shareholders <> ''
            ORDER BY rh.company_id, x.n
            """
        )
        _run("INSERT INTO register_touched SELECT company_id, false FROM register_holders")
        deleted = 0
        if not incremental:
            # A full file is the whole register: a company it does not name is deregistered.
            deleted = _run(
                f"""
                UPDATE proactive_company co SET status = 'deregistered', updated_at = %(now)s
                WHERE co.status <> 'deregistered'
                  AND NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.uscc = co.uscc)
                """,
                {"now": now},
            )
        ((inserted, updated),) = _fetch(
            """
            SELECT count(*) FILTER (WHERE ins), count(*) FILTER (WHERE NOT ins)
            FROM (SELECT id, bool_or(inserted) AS ins FROM register_touched GROUP BY id) t
            """
        )
        offers: list[int] = []
        if incremental:
            offers = self._licence_events(import_id, today, now)
        return {
            "inserted": inserted,
            "updated": updated,
            "unchanged": self.rows - inserted - updated,
            "deleted": deleted,
            "offers": offers,
        }

    def _licence_events(self, import_id, today, now) -> list[int]:
        """The changes of an incremental file as licence events (one per company whose name,
        legal representative, address or shareholders changed), then detection: the active
        licence-change rules say who gets an offer (ADR 0070), one statement."""
        from .. import detection

        batch = uuid.uuid4()
        _run(
            f"""
            INSERT INTO proactive_licenceevent (event_id, uscc, company_id, changed_on, changes,
                fields_mask, new_name, new_legal_representative, new_address, batch, received_at)
            SELECT 'register-' || %(import)s || '-' || uscc, uscc, id, %(today)s,
                   jsonb_strip_nulls(jsonb_build_object(
                       'name', CASE WHEN mask & 1 <> 0
                               THEN jsonb_build_object('old', old_name, 'new', name) END,
                       'legal_representative', CASE WHEN mask & 2 <> 0
                               THEN jsonb_build_object('old', old_rep, 'new', rep) END,
                       'address', CASE WHEN mask & 4 <> 0
                               THEN jsonb_build_object('old', old_address, 'new', address) END,
                       'shareholders', CASE WHEN mask & 8 <> 0
                               THEN jsonb_build_object('old', old_holders, 'new', holders) END)),
                   mask,
                   CASE WHEN mask & 1 <> 0 THEN name END,
                   CASE WHEN mask & 2 <> 0 THEN rep END,
                   CASE WHEN mask & 4 <> 0 THEN address END,
                   %(batch)s, %(now)s
            FROM (
                SELECT co.id, co.uscc, co.name, b.name AS old_name,
                       co.legal_representative AS rep, b.legal_representative AS old_rep,
                       co.address, b.address AS old_address,
                       b.holders AS old_holders, COALESCE(h.text, '') AS holders,
                       (CASE WHEN co.name <> b.name THEN 1 ELSE 0 END)
                       | (CASE WHEN co.legal_representative <> b.legal_representative
                               THEN 2 ELSE 0 END)
                       | (CASE WHEN co.address <> b.address THEN 4 ELSE 0 END)
                       | (CASE WHEN COALESCE(h.text, '') <> b.holders THEN 8 ELSE 0 END) AS mask
                FROM register_before b
                JOIN proactive_company co ON co.id = b.id
                LEFT JOIN (SELECT h.company_id, {HOLDERS_TEXT} AS text
                           FROM proactive_shareholder h
                           WHERE h.company_id IN (SELECT id FROM register_before)
                           GROUP BY h.company_id) h ON h.company_id = co.id
            ) changed
            WHERE mask <> 0
            ON CONFLICT (event_id) DO NOTHING
            """,
            {"import": str(import_id), "today": today, "batch": batch, "now": now},
        )
        return [row[0] for row in detection.detect_licence_changes(batch, today=today)]

    def _merge_certificates(self, mode, now) -> dict[str, Any]:
        compared = "type_id, grade, company_id, issued_on, expires_on, particulars, status"
        ((inserted, updated),) = _fetch(
            f"""
            WITH merged AS (
                INSERT INTO proactive_certificate AS c
                    (number, {compared}, verification_code, case_reference, pdf)
                SELECT s.number, s.type_id, s.grade, co.id, s.issued_on, s.expires_on,
                       s.particulars, s.status,
                       upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 16)), '', ''
                FROM {STAGE} s JOIN proactive_company co ON co.uscc = s.holder_uscc
                ON CONFLICT (number) DO UPDATE SET
                    {", ".join(f"{c} = EXCLUDED.{c}" for c in compared.split(", "))}
                WHERE ({", ".join("c." + c for c in compared.split(", "))})
                      IS DISTINCT FROM
                      ({", ".join("EXCLUDED." + c for c in compared.split(", "))})
                RETURNING (c.xmax = 0) AS inserted
            )
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted)
            FROM merged
            """
        )
        deleted = 0
        if mode == ImportMode.FULL:
            # Not in the whole register any more: revoked (the portal's own, issued by a case,
            # are reported to the register by the department and left alone here).
            deleted = _run(
                f"""
                UPDATE proactive_certificate c SET status = 'revoked'
                WHERE c.status = 'valid' AND c.case_reference = ''
                  AND NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.number = c.number)
                """
            )
        return {
            "inserted": inserted,
            "updated": updated,
            "unchanged": self.rows - inserted - updated,
            "deleted": deleted,
            "offers": [],
        }
