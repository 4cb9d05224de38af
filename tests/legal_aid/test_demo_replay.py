"""``replay(insert=True)`` walks new records before their first insert: an effect reads nothing
that can only refer to a stored record (a case's open offer) and looks up what no step of the
replay changes once (a centre's rota), not once per record. The legal-aid demo's 13,000 lawyer
assignments made three queries each and were half of the demo's load time."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legal_aid import demo
from legal_aid.models import CaseOffer, RotaEntry

pytestmark = pytest.mark.django_db


def test_replaying_new_applications_reads_no_offers_and_each_rota_once(centres):
    for centre in centres.values():  # the fixture gave them a department after loading them
        centre.refresh_from_db()
    staff, lawyers, _citizen = demo._people(centres)
    demo._hardship_standards()
    apps, walks = demo.build_applications(
        400, centres=centres, lawyers=lawyers, staff=staff, online=150, hotline=30
    )
    assigned = sum(1 for _, moves in walks if any(m.step == "assign_lawyer" for m in moves))
    assert assigned > 100
    with CaptureQueriesContext(connection) as captured:
        demo.write_applications(apps, walks)
    statements = [q["sql"] for q in captured.captured_queries]
    assert not [s for s in statements if CaseOffer._meta.db_table in s]
    rota_lookups = [s for s in statements if RotaEntry._meta.db_table in s]
    assert 0 < len(rota_lookups) <= len(centres)
