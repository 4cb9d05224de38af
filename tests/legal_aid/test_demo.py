"""The demo data: deterministic, idempotent, every state, online share as in 2020."""

import pytest

from legal_aid import demo
from legal_aid.models import (
    Centre,
    Consultation,
    LegalAidApplication,
    StaffMembership,
)
from legal_aid.selectors import timeline
from portal.workflow.models import WorkflowLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(monkeypatch):
    monkeypatch.setattr(demo, "APPLICATIONS", 1570)
    monkeypatch.setattr(demo, "ONLINE", 600)
    monkeypatch.setattr(demo, "HOTLINE_APPLICATIONS", 130)
    monkeypatch.setattr(demo, "CONSULTATIONS", 300)


def test_demo_loads_once_with_every_state(small):
    demo.load()
    counts = (
        Centre.objects.count(),
        LegalAidApplication.objects.count(),
        WorkflowLog.objects.filter(workflow="legal_aid").count(),
        Consultation.objects.count(),
        StaffMembership.objects.count(),
    )
    assert counts[0] == 21
    assert StaffMembership.objects.filter(user__username="laixi_legal_aid").exists()
    demo_apps = LegalAidApplication.objects.filter(reference__startswith="FYDEMO")
    assert demo_apps.count() == 1570
    assert demo_apps.filter(channel="online").count() == 600
    states = set(demo_apps.values_list("state", flat=True))
    assert len(states) >= 13, states
    # every application's log ends in its state
    app = LegalAidApplication.objects.get(reference="FYDEMO000042")
    assert timeline(app).last().target == app.state
    demo.load()  # idempotent
    assert counts == (
        Centre.objects.count(),
        LegalAidApplication.objects.count(),
        WorkflowLog.objects.filter(workflow="legal_aid").count(),
        Consultation.objects.count(),
        StaffMembership.objects.count(),
    )
