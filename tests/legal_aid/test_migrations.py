"""Migration 0003 fills the statistics columns of applications written before them."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from legal_aid.models import LegalAidApplication
from legal_aid.services import take

from . import factories as f

pytestmark = pytest.mark.django_db


def test_backfill_of_the_statistics_columns(citizen, laixi_staff):
    app = f.submit(citizen)
    take(app.reference, "start_review", laixi_staff)
    take(app.reference, "grant", laixi_staff)
    received = timezone.now() - datetime.timedelta(days=9)
    LegalAidApplication.objects.filter(pk=app.pk).update(
        month="",
        decision_seconds=None,
        decided_late=False,
        received_at=received,
        decision_due=timezone.localdate() - datetime.timedelta(days=2),
    )
    migration = importlib.import_module("legal_aid.migrations.0003_statistics_columns")
    migration.backfill(apps, None)
    app.refresh_from_db()
    assert app.month == timezone.localtime(app.submitted_at).strftime("%Y-%m")
    assert app.decision_seconds == int((app.decided_at - received).total_seconds())
    assert app.decided_late is True
