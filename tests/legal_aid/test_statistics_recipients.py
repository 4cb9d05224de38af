"""Statistics of issue 18: by recipient (sex, age band, group: counts, never persons), by
progress (days in each stage, cases past each limit), by lawyer and firm, from the rollups the
triggers keep; the same figures in the export and the API."""

import csv
import io

import pytest

from legal_aid import rollups
from legal_aid.models import LawyerRollup, RecipientRollup
from legal_aid.services import take
from legal_aid.statistics import statistics
from tests.factories import make_resident_id

from . import factories as f

pytestmark = pytest.mark.django_db


def _closed(citizen, staff, lawyer, **overrides):
    app = f.submit(citizen, **overrides)
    take(app.reference, "start_review", staff)
    take(app.reference, "grant", staff)
    take(app.reference, "assign_lawyer", staff, lawyer=lawyer.pk)
    take(app.reference, "begin", staff)
    return take(app.reference, "close", staff, outcome="won")


def test_recipients_progress_and_lawyers_are_counted(citizen, laixi_staff, laixi_lawyer):
    # a man of 45 (a migrant worker by his exemption), a woman of 70 with a disability, a boy
    _closed(citizen, laixi_staff, laixi_lawyer)
    f.submit(
        citizen,
        resident_id=make_resident_id(2, "370202", "19540101"),  # an even 17th digit
        exemption="no_income_group",
        recipient_group="disabled",
    )
    minor = make_resident_id(3, "370202", "20150601")
    f.submit(citizen, resident_id=minor, exemption="abuse_victim")
    stats = statistics()
    by = {
        dim: {r["key"]: r["applications"] for r in stats[f"by_{dim}"]}
        for dim in ("sex", "age_band", "recipient_group")
    }
    assert by["sex"] == {"m": 2, "f": 1}
    assert by["age_band"] == {"minor": 1, "adult": 1, "elderly": 1}
    assert by["recipient_group"]["migrant_worker"] == 1
    assert by["recipient_group"]["disabled"] == 1
    assert "applicant_name" not in str(stats["by_recipient_group"])
    days = {row["stage"]: row["count"] for row in stats["progress"]["days"]}
    assert days == {"decision": 1, "assignment": 1, "handling": 1}
    assert stats["progress"]["overdue_now"] == {
        "decision": 0,
        "assignment": 0,
        "materials": 0,
        "objection": 0,
    }
    (lawyer,) = stats["by_lawyer"]
    assert (lawyer["name"], lawyer["assigned"], lawyer["open"], lawyer["closed"]) == (
        laixi_lawyer.name,
        1,
        0,
        1,
    )
    (firm,) = stats["by_firm"]
    assert (firm["firm"], firm["lawyers"], firm["closed"]) == (laixi_lawyer.firm, 1, 1)


def test_the_triggers_keep_what_a_rebuild_makes(citizen, laixi_staff, laixi_lawyer):
    _closed(citizen, laixi_staff, laixi_lawyer)
    f.submit(citizen, recipient_group="military")

    def rows():
        return (
            sorted(
                RecipientRollup.objects.filter(applications__gt=0).values_list(
                    "grain",
                    "period",
                    "sex",
                    "age_band",
                    "recipient_group",
                    "applications",
                    "granted",
                )
            ),
            sorted(
                LawyerRollup.objects.filter(assigned__gt=0).values_list(
                    "grain",
                    "period",
                    "lawyer_id",
                    "assigned",
                    "open",
                    "closed",
                )
            ),
        )

    kept = rows()
    rollups.rebuild()
    assert rows() == kept and kept[0] and kept[1]


def test_the_export_and_the_api_carry_the_new_figures(client, citizen, laixi_staff, laixi_lawyer):
    _closed(citizen, laixi_staff, laixi_lawyer)
    client.force_login(laixi_staff)
    text = client.get("/legal-aid/statistics/export.csv").content.decode("utf-8-sig")
    sections = {row[0] for row in csv.reader(io.StringIO(text))}
    assert {
        "sex",
        "age_band",
        "recipient_group",
        "progress_days",
        "lawyer",
        "firm",
        "survey",
    } <= sections
    data = client.get("/api/v1/legal-aid/statistics/").json()
    assert data["by_lawyer"][0]["closed"] == 1
    assert data["progress"]["days"][2]["stage"] == "handling"
    page = client.get("/legal-aid/statistics/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Aid recipients" in page.content.decode()
