"""Two people acting at once: the row is locked, the state re-checked; the second gets a clear
message (409 in the API), never a 500 or a double transition."""

import threading

import pytest
from django.db import connection

from legal_aid.models import LegalAidApplication
from legal_aid.services import take
from portal.workflow import Refused

from . import factories as f


@pytest.mark.django_db
def test_the_second_decision_is_refused_with_a_message(citizen, laixi_staff):
    app = f.submit(citizen)
    take(app.reference, "start_review", laixi_staff)
    colleague = f.staff_user("370285", username="colleague")
    take(app.reference, "grant", laixi_staff)
    with pytest.raises(Refused) as error:
        take(app.reference, "refuse", colleague, reasons="不符合")
    assert error.value.status == 409
    assert "Aid granted" in error.value.message or "已决定给予法律援助" in error.value.message
    assert f.log(app).filter(step__in=["grant", "refuse"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_parallel_grants_make_one_transition(citizen, laixi_staff):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite serialises writers anyway)")
    app = f.submit(citizen)
    take(app.reference, "start_review", laixi_staff)
    results: list[str] = []

    def worker():
        from django.db import connection as conn

        try:
            take(app.reference, "grant", laixi_staff)
            results.append("ok")
        except Refused:
            results.append("conflict")
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["conflict"] * 5 + ["ok"]
    assert f.log(app).filter(step="grant").count() == 1
    assert LegalAidApplication.objects.get(pk=app.pk).state == "granted"
