"""Migration catalogue.0009 converts a stored catalogue of old codes to the basic catalogue and
national implementation codes (ADR 0121): an existing deployment keeps its items, their ids and
their old codes (for the redirects)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("catalogue", "0007_english_choice_labels")]
AFTER = [("catalogue", "0010_implementation_needs_basic_service")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_stored_items_get_their_basic_service_and_national_code():
    apps = migrate(BEFORE)
    try:
        Department = apps.get_model("catalogue", "Department")
        ServiceItem = apps.get_model("catalogue", "ServiceItem")
        bureau = Department.objects.create(
            code="370200-RSJ", name="青岛市人力资源和社会保障局", region_id="370200", level="city"
        )
        own = Department.objects.create(
            code="370200-OWN", name="某部门", region_id="370200", level="city"
        )
        known = ServiceItem.objects.create(
            code="37020000-QR-0001", name="企业职工基本养老保险参保登记", domain="social_insurance",
            kind="confirmation", department=bureau,
        )  # fmt: skip
        local = ServiceItem.objects.create(
            code="LOCAL-1", name="本地特色服务", domain="other", kind="licence", department=own
        )
        apps = migrate(AFTER)
        ServiceItem = apps.get_model("catalogue", "ServiceItem")
        Department = apps.get_model("catalogue", "Department")

        converted = ServiceItem.objects.select_related("basic").get(pk=known.pk)
        assert converted.code == "11370200004012762AQR00001000"
        assert converted.former_code == "37020000-QR-0001"
        assert converted.basic.basic_code == "QR00001000"
        assert converted.basic.legal_basis == "《中华人民共和国社会保险法》"
        assert Department.objects.get(pk=bureau.pk).credit_code == "11370200004012762A"

        # a deployment's own item: a basic service of its own, numbered after the reference's;
        # its department has no credit code, so it keeps its code for staff to correct
        kept = ServiceItem.objects.select_related("basic").get(pk=local.pk)
        assert kept.code == "LOCAL-1" and kept.former_code == ""
        assert kept.basic.name == "本地特色服务"
        assert kept.basic.basic_code.startswith("XK") and kept.basic.basic_code == "XK00177000"
    finally:
        # every app's latest migration, not only the catalogue's: going back to 0007 took back
        # the other apps' migrations that depend on later catalogue ones (a table of theirs with
        # them), which the tests after this one need
        executor = MigrationExecutor(connection)
        migrate(executor.loader.graph.leaf_nodes())
