"""manage.py import_licence_events: JSONL or CSV, batches all-or-nothing, bad lines reported."""

import json

import pytest
from django.core.management import CommandError, call_command

from approvals.proactive.models import LicenceEvent, Offer

from .conftest import event
from .factories import CertificateFactory, CompanyFactory


def test_jsonl_in_batches(world, tmp_path, capsys):
    companies = CompanyFactory.create_batch(5)
    for company in companies:
        CertificateFactory(company=company, type=world.ctype)
    path = tmp_path / "events.jsonl"
    path.write_text(
        "\n".join(
            json.dumps(event(f"J{i}", uscc=c.uscc), ensure_ascii=False)
            for i, c in enumerate(companies)
        ),
        encoding="utf-8",
    )
    call_command("import_licence_events", str(path), "--batch-size", "2", "--no-progress")
    assert LicenceEvent.objects.count() == 5
    assert Offer.objects.count() == 5
    assert "5 events stored" in capsys.readouterr().out


def test_bad_line_refuses_its_batch_only(world, tmp_path, capsys):
    good = CompanyFactory()
    lines = [
        json.dumps(event("G1", uscc=good.uscc)),
        json.dumps(event("G2", uscc=good.uscc, field="address", old="a", new="青岛市北区1号")),
        json.dumps(event("B1", uscc="123")),
        "{not json",
    ]
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_licence_events", str(path), "--batch-size", "2", "--no-progress")
    err = capsys.readouterr().err
    assert "line 3: uscc:" in err and "line 4: line: not JSON" in err
    assert sorted(LicenceEvent.objects.values_list("event_id", flat=True)) == ["G1", "G2"]


def test_csv(world, tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(
        "event_id,uscc,changed_on,field,old,new\n"
        f"C1,{world.company.uscc},2026-11-20,legal_representative,王建国,李海峰\n"
        f"C1,{world.company.uscc},2026-11-20,shareholders,王建国,王建国;李海峰\n",
        encoding="utf-8",
    )
    call_command("import_licence_events", str(path), "--no-progress")
    stored = LicenceEvent.objects.get()
    assert set(stored.changed_fields) == {"legal_representative", "shareholders"}
    assert Offer.objects.count() == 1
