"""The authorization matrix (issue 11, ADR 0080): every role of the demo against every kind of
record over every channel, in one table. ``Y`` allowed, ``-`` refused (403/404, nothing changed).

Columns are the actors of ``tests/access/world.py``; each row's probe is in
``tests/access/probes_<domain>.py``. A cell that says ``-`` for what the portal lets through (or
``Y`` for what it refuses) fails, naming the role, record and channel.
"""

from __future__ import annotations

import pytest

from . import probes_all  # noqa: F401  (registers every domain's probes)
from .probes import PROBES
from .world import ACTORS

MATRIX = """
record            channel        anon citz comp pnt  ypnt dept omgr laqd lalx labu admn supr feed cour gate
# accounts and system clients
user              admin_list     -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
user              admin_change   -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
system_client     admin_list     -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
system_client     admin_action   -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
# cases (approvals)
case              page           -    Y    -    Y    -    -    -    -    -    -    Y    Y    -    -    -
case              api            -    Y    -    Y    -    -    -    -    -    -    Y    Y    -    -    -
case              admin_list     -    -    -    Y    -    -    -    -    -    -    Y    Y    -    -    -
case              admin_change   -    -    -    -    -    -    -    -    -    -    -    Y    -    -    -
case              admin_action   -    -    -    -    -    -    -    -    -    -    -    -    -    -    -
case              pdf            -    Y    -    Y    -    -    -    -    -    -    Y    Y    -    -    -
case              worklist       -    Y    -    Y    -    -    -    -    -    -    -    -    -    -    -
case_of_point     page           -    -    -    Y    -    -    -    -    -    -    Y    Y    -    -    -
case_of_point     api_action     -    -    -    Y    -    -    -    -    -    -    -    -    -    -    -
material          page           -    Y    -    Y    -    -    -    -    -    -    Y    Y    -    -    -
material          api            -    Y    -    Y    -    -    -    -    -    -    Y    Y    -    -    -
acceptance_point  admin_change   -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
point_staff       admin_list     -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
point_staff       admin_inline   -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
point_staff       admin_add      -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
point_staff       admin_change   -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
# proactive approvals
certificate       page           Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y
certificate       api            -    -    -    -    -    Y    -    -    -    -    Y    Y    Y    -    -
certificate       admin_list     -    -    -    -    -    Y    -    -    -    -    Y    Y    -    -    -
certificate       admin_change   -    -    -    -    -    -    -    -    -    -    -    Y    -    -    -
certificate_pdf   pdf            -    -    Y    -    -    Y    -    -    -    -    Y    Y    -    -    -
offer             page           -    -    -    -    -    -    -    -    -    -    -    -    -    -    -
offer             api            -    -    -    -    -    Y    -    -    -    -    Y    Y    -    -    -
offer             admin_list     -    -    -    -    -    Y    -    -    -    -    Y    Y    -    -    -
offer             admin_change   -    -    -    -    -    -    -    -    -    -    -    Y    -    -    -
company           api            -    -    -    -    -    Y    -    -    -    -    Y    Y    Y    -    -
company           admin_list     -    -    -    -    -    Y    -    -    -    -    Y    Y    -    -    -
licence_event     api            -    -    -    -    -    -    -    -    -    -    -    -    Y    -    -
courier_event     api            -    -    -    -    -    -    -    -    -    -    -    -    -    Y    -
proactive_dashboard page         -    -    -    -    -    Y    -    -    -    -    Y    Y    -    -    -
rule              admin_change   -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
# self-service outlets
outlet_draft      page           -    -    -    -    -    -    Y    -    -    -    Y    Y    -    -    -
outlet_draft      api            -    -    -    -    -    -    Y    -    -    -    Y    Y    -    -    -
foreign_draft     page           -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
foreign_draft     api            -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
outlet_publish    page           -    -    -    -    -    -    Y    -    -    -    Y    Y    -    -    -
outlet_publish    api            -    -    -    -    -    -    Y    -    -    -    Y    Y    -    -    -
outlet_manager    admin_add      -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
outlet            admin_change   -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
outlet_items      export         Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y
# catalogue, ratings, notifications
service_item      admin_change   -    -    -    -    -    Y    -    -    -    -    Y    Y    -    -    -
basic_service     admin_change   -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
catalogue_export  export         Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y
rating            admin_list     -    -    -    -    -    Y    -    -    -    -    Y    Y    -    -    -
rating_statistics page           Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y
rating_statistics api            Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y    Y
inbox_message     page           -    Y    -    -    -    -    -    -    -    -    -    -    -    -    -
inbox_message     api            -    Y    -    -    -    -    -    -    -    -    -    -    -    -    -
inbox_message     admin_list     -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
notification_receipt api         -    -    -    -    -    -    -    -    -    -    -    -    -    -    Y
# legal aid
la_application    page           -    Y    -    -    -    -    -    Y    -    Y    Y    Y    -    -    -
la_application    api            -    Y    -    -    -    -    -    Y    -    Y    Y    Y    -    -    -
la_application    admin_list     -    -    -    -    -    -    -    Y    -    Y    Y    Y    -    -    -
la_application    admin_change   -    -    -    -    -    -    -    -    -    -    -    Y    -    -    -
la_evidence       download       -    Y    -    -    -    -    -    Y    -    Y    Y    Y    -    -    -
la_document_pdf   pdf            -    Y    -    -    -    -    -    Y    -    Y    Y    Y    -    -    -
consultation      page           -    Y    -    -    -    -    -    Y    -    Y    Y    Y    -    -    -
consultation      admin_list     -    -    -    -    -    -    -    Y    -    Y    Y    Y    -    -    -
la_statistics     page           -    -    -    -    -    -    -    Y    -    Y    Y    Y    -    -    -
la_statistics     export         -    -    -    -    -    -    -    Y    -    Y    Y    Y    -    -    -
staff_membership  admin_add      -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
staff_membership  admin_change   -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
centre            admin_change   -    -    -    -    -    -    -    -    -    -    Y    Y    -    -    -
"""


def _rows(text: str) -> list[tuple[str, str, dict[str, bool]]]:
    lines = [
        line.split()
        for line in text.strip().splitlines()
        if line.strip() and not line.startswith("#")
    ]
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


CELLS = [
    pytest.param(record, channel, actor, allowed, id=f"{record}-{channel}-{actor}")
    for record, channel, by_actor in _rows(MATRIX)
    for actor, allowed in by_actor.items()
]


def test_every_row_has_a_probe():
    missing = [(r, c) for r, c, _ in _rows(MATRIX) if (r, c) not in PROBES]
    assert not missing
    unused = set(PROBES) - {(r, c) for r, c, _ in _rows(MATRIX)}
    assert not unused


@pytest.mark.parametrize(("record", "channel", "actor", "allowed"), CELLS)
def test_cell(world, db, record, channel, actor, allowed):
    got = PROBES[(record, channel)](world, actor)
    expected = "allowed" if allowed else "refused"
    assert got == allowed, f"{ACTORS[actor][1]} on {record} via {channel}: expected {expected}"
