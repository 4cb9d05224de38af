"""The authorization matrix (issue 11, ADR 0080): every role of the demo against every kind of
record over every channel, in one table. ``Y`` allowed, ``-`` refused (403/404, nothing changed).

Columns are the actors of ``tests/access/world.py``; each row's probe is in
``tests/access/probes_<domain>.py``. A cell that says ``-`` for what the portal lets through (or
``Y`` for what it refuses) fails, naming the role, record and channel.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from . import probes_all  # noqa: F401  (registers every domain's probes)
from .probes import PROBES
from .world import ACTORS, _Rollback, build_world

MATRIX = """
record            channel        anon citz comp pnt  ypnt dept omgr laqd lalx labu admn supr feed cour gate
"""


def _rows(text: str) -> list[tuple[str, str, dict[str, bool]]]:
    lines = [line.split() for line in text.strip().splitlines() if line.strip()]
    header, body = lines[0], lines[1:]
    actors = header[2:]
    assert actors == list(ACTORS), f"columns {actors} != actors {list(ACTORS)}"
    rows = []
    for cells in body:
        record, channel, marks = cells[0], cells[1], cells[2:]
        assert len(marks) == len(actors), f"{record} {channel}: {len(marks)} cells"
        assert set(marks) <= {"Y", "-"}, f"{record} {channel}: cells are Y or -"
        rows.append((record, channel, dict(zip(actors, [m == "Y" for m in marks], strict=True))))
    return rows


def _all_rows():
    # While the domains are being written, each keeps its rows in rows_<domain>.txt; they are
    # the same format as MATRIX's body.
    text = MATRIX
    for extra in sorted(Path(__file__).parent.glob("rows_*.txt")):
        text += "\n" + extra.read_text()
    return _rows(text)


CELLS = [
    pytest.param(record, channel, actor, allowed, id=f"{record}-{channel}-{actor}")
    for record, channel, by_actor in _all_rows()
    for actor, allowed in by_actor.items()
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), _Rollback():
        yield build_world()


def test_every_row_has_a_probe():
    missing = [(r, c) for r, c, _ in _all_rows() if (r, c) not in PROBES]
    assert not missing
    unused = set(PROBES) - {(r, c) for r, c, _ in _all_rows()}
    assert not unused


@pytest.mark.parametrize(("record", "channel", "actor", "allowed"), CELLS)
def test_cell(world, db, record, channel, actor, allowed):
    got = PROBES[(record, channel)](world, actor)
    expected = "allowed" if allowed else "refused"
    assert got == allowed, f"{ACTORS[actor][1]} on {record} via {channel}: expected {expected}"
