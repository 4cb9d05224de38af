"""Register import (issue 16, ADR 0109): the company and certificate registers from their files,
checked row by row, all or nothing, once per file, full and incremental. Runs on SQLite (the
portable path) and on PostgreSQL (COPY and the set-based merge) with DATABASE_URL."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from approvals.proactive.models import (
    Certificate,
    Company,
    ContactPerson,
    LicenceEvent,
    Offer,
    Shareholder,
)
from approvals.proactive.registers.models import ImportStatus, RegisterImport
from approvals.proactive.registers.services import import_register
from tests.factories import make_uscc

from .factories import CertificateTypeFactory, make_rule
from .register_files import (
    CERTIFICATE_HEADER,
    QINGDAO,
    certificate_row,
    company_row,
    write_companies,
    write_rows,
)

pytestmark = pytest.mark.django_db


def snapshot() -> list[tuple]:
    companies = list(
        Company.objects.order_by("uscc").values_list(
            "uscc",
            "name",
            "type",
            "legal_representative",
            "legal_representative_id_number",
            "address",
            "district_id",
            "established_on",
            "status",
            "updated_at",
        )
    )
    holders = list(
        Shareholder.objects.order_by("company__uscc", "id").values_list(
            "company__uscc", "name", "share"
        )
    )
    contacts = list(
        ContactPerson.objects.order_by("company__uscc", "id").values_list(
            "company__uscc", "role", "name", "mobile"
        )
    )
    return companies + holders + contacts


def test_three_bad_rows_among_10000_store_nothing_and_are_named(tmp_path):
    def spoil(n: int, row: dict) -> dict:
        if n == 1234:  # a wrong check character
            uscc = row["uscc"]
            row["uscc"] = uscc[:17] + ("0" if uscc[17] != "0" else "1")
        elif n == 5000:
            row["established_on"] = "2021-02-30"
        elif n == 9999:
            row["district"] = "379999"
        return row

    path = write_companies(tmp_path / "companies.csv", range(1, 10_001), change=spoil)
    record = import_register("companies", path)

    assert record.status == ImportStatus.REJECTED
    assert record.error_count == 3
    # line = the company's number + 1 (the header is line 1)
    assert [(e["line"], e["field"]) for e in record.errors] == [
        (1235, "uscc"),
        (5001, "established_on"),
        (10000, "district"),
    ]
    assert "校验码" in record.errors[0]["message"]  # the validator's own message, in Chinese
    assert Company.objects.count() == 0
    assert Shareholder.objects.count() == 0 and ContactPerson.objects.count() == 0


def test_the_command_prints_every_bad_row_and_stores_nothing(tmp_path):
    def spoil(n: int, row: dict) -> dict:
        if n in (3, 7):
            row["legal_representative_id"] = "370202198001010000"
        if n == 7:
            row["mobile"] = "12345"
        return row

    path = write_companies(tmp_path / "c.csv", range(1, 21), change=spoil)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_register", "companies", str(path), "--no-progress", stderr=err)
    text = err.getvalue()
    assert "line 4 legal_representative_id" in text
    assert "line 8 legal_representative_id" in text and "line 8 mobile" in text
    assert Company.objects.count() == 0


def test_same_good_file_twice_changes_nothing(tmp_path):
    path = write_companies(tmp_path / "companies.csv", range(1, 301))
    first = import_register("companies", path)
    assert first.status == ImportStatus.DONE
    assert (first.inserted, first.updated, first.unchanged) == (300, 0, 0)
    assert Shareholder.objects.count() == 450 and ContactPerson.objects.count() == 300
    before = snapshot()

    second = import_register("companies", path)
    assert second.status == ImportStatus.SKIPPED
    assert snapshot() == before

    # The same rows in another file (JSON Lines): read, compared, nothing written.
    other = write_companies(tmp_path / "companies.jsonl", range(1, 301), fmt="jsonl")
    third = import_register("companies", other)
    assert third.status == ImportStatus.DONE
    assert (third.inserted, third.updated, third.unchanged, third.deleted) == (0, 0, 300, 0)
    assert snapshot() == before


def test_gb18030_and_utf8_files_give_the_same_result(tmp_path):
    gb = write_companies(tmp_path / "gb.csv", range(1, 101), encoding="gb18030")
    utf = write_companies(tmp_path / "utf.csv", range(1, 101), encoding="utf-8")
    assert gb.read_bytes() != utf.read_bytes()
    # A GB18030 file read as UTF-8 is refused as a whole, and stores nothing.
    wrong = import_register("companies", gb, encoding="utf-8")
    assert wrong.status == ImportStatus.REJECTED and "UTF-8" in wrong.message
    assert Company.objects.count() == 0

    assert import_register("companies", gb, encoding="gb18030").inserted == 100
    from_gb = snapshot()
    assert Company.objects.get(uscc=make_uscc(7, QINGDAO[7])).name == "青岛城市7商贸有限公司"

    again = import_register("companies", utf, encoding="utf-8")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 100)
    assert snapshot() == from_gb


def test_incremental_file_changes_only_its_rows_and_offers_only_where_a_rule_says_so(tmp_path):
    ctype = CertificateTypeFactory(code="JZZZ")
    # the rule: a change of the legal representative (not of the address) is offered the change
    make_rule(ctype, fields=("legal_representative",), regions=QINGDAO)
    import_register("companies", write_companies(tmp_path / "full.csv", range(1, 201)))
    certificates = write_rows(
        tmp_path / "certs.csv",
        CERTIFICATE_HEADER,
        (certificate_row(n, "JZZZ", grade="三级") for n in range(1, 201)),
    )
    loaded = import_register("certificates", certificates)
    assert (loaded.status, loaded.inserted) == (ImportStatus.DONE, 200)
    before = {c.uscc: c.updated_at for c in Company.objects.all()}

    def changes(n: int, row: dict) -> dict:
        if n == 10:
            row["legal_representative"] = "新法人十"
        elif n == 20:
            row["address"] = "青岛市市南区新地址20号"
        elif n == 30:
            row["status"] = "deregistered"  # a deletion, as a status
        return row

    delta = write_companies(tmp_path / "delta.csv", (10, 20, 30), change=changes)
    record = import_register("companies", delta, mode="incremental")

    assert record.status == ImportStatus.DONE
    assert (record.inserted, record.updated, record.unchanged) == (0, 3, 0)
    after = {c.uscc: c for c in Company.objects.all()}
    changed = {u for u, c in after.items() if c.updated_at != before[u]}
    assert changed == {make_uscc(n, QINGDAO[n % 10]) for n in (10, 20, 30)}
    assert after[make_uscc(30, QINGDAO[0])].status == "deregistered"
    assert sum(c.status == "active" for c in after.values()) == 199  # nothing else deleted

    # The legal representative's change is a licence event, and the rule makes one offer.
    offers = list(Offer.objects.select_related("certificate", "company"))
    assert [(o.company.uscc, o.certificate.number, o.reason) for o in offers] == [
        (make_uscc(10, QINGDAO[0]), "RC00000010", "licence_change")
    ]
    assert record.offers_created == 1
    events = {e.uscc: e for e in LicenceEvent.objects.all()}
    assert set(events) == {make_uscc(10, QINGDAO[0]), make_uscc(20, QINGDAO[0])}
    assert events[make_uscc(10, QINGDAO[0])].changes["legal_representative"] == {
        "old": "法人10",
        "new": "新法人十",
    }
    # ... and its contact is the new legal representative's.
    assert ContactPerson.objects.filter(
        company__uscc=make_uscc(10, QINGDAO[0]), name="新法人十"
    ).exists()


def test_full_file_marks_the_companies_it_leaves_out_deregistered(tmp_path):
    import_register("companies", write_companies(tmp_path / "a.csv", range(1, 51)))
    record = import_register("companies", write_companies(tmp_path / "b.csv", range(1, 41)))
    assert (record.unchanged, record.deleted) == (40, 10)
    assert Company.objects.filter(status="deregistered").count() == 10
    assert not Offer.objects.exists()  # a full load makes no offers


def test_certificates_are_checked_against_types_grades_dates_and_the_register(tmp_path):
    CertificateTypeFactory(code="JZZZ", grades="一级,二级,三级")
    import_register("companies", write_companies(tmp_path / "c.csv", range(1, 11)))
    rows = [certificate_row(n, "JZZZ", grade="三级") for n in range(1, 11)]
    rows[1]["grade"] = "五级"
    rows[3]["type"] = "NOPE"
    rows[5]["expires_on"] = "2020-01-01"  # before it was issued
    rows[7]["holder_uscc"] = make_uscc(99_999, "370202")  # not in the register
    rows[8]["number"] = rows[0]["number"]  # twice in the file
    path = write_rows(tmp_path / "certs.jsonl", CERTIFICATE_HEADER, iter(rows), fmt="jsonl")
    record = import_register("certificates", path)
    assert record.status == ImportStatus.REJECTED
    assert [(e["line"], e["field"]) for e in record.errors] == [
        (2, "grade"),
        (4, "type"),
        (6, "expires_on"),
        (8, "holder_uscc"),
        (9, "number"),
    ]
    assert record.error_count == 5
    assert not Certificate.objects.exists()


def test_certificate_changes_and_full_file_revocations(tmp_path):
    CertificateTypeFactory(code="JZZZ")
    import_register("companies", write_companies(tmp_path / "c.csv", range(1, 11)))
    first = (certificate_row(n, "JZZZ", grade="三级") for n in range(1, 11))
    import_register("certificates", write_rows(tmp_path / "a.csv", CERTIFICATE_HEADER, first))
    codes = dict(Certificate.objects.values_list("number", "verification_code"))

    def second():
        for n in range(1, 10):
            yield certificate_row(n, "JZZZ", grade="二级" if n == 2 else "三级")

    record = import_register(
        "certificates", write_rows(tmp_path / "b.csv", CERTIFICATE_HEADER, second())
    )
    assert (record.inserted, record.updated, record.unchanged, record.deleted) == (0, 1, 8, 1)
    assert Certificate.objects.get(number="RC00000002").grade == "二级"
    assert Certificate.objects.get(number="RC00000010").status == "revoked"
    # verification codes are kept
    assert dict(Certificate.objects.values_list("number", "verification_code")) == codes
    assert Certificate.objects.get(number="RC00000001").particulars == {
        "name": "青岛城市1商贸有限公司",
        "legal_representative": "法人1",
    }
    assert Certificate.objects.get(number="RC00000001").expires_on == datetime.date(2029, 2, 1)


def test_the_record_keeps_the_first_thousand_problems_and_the_total(tmp_path):
    def spoil(n: int, row: dict) -> dict:
        row["type"] = "corporation"
        return row

    path = write_companies(tmp_path / "c.csv", range(1, 1201), change=spoil)
    record = import_register("companies", path)
    assert record.error_count == 1200
    assert len(record.errors) == 1000
    assert record.errors[-1]["line"] == 1001
    assert RegisterImport.objects.get(pk=record.pk).status == ImportStatus.REJECTED
    assert timezone.now() >= record.finished_at


def test_the_fast_checks_agree_with_the_full_ones():
    from approvals.proactive.registers import columns

    districts = frozenset(QINGDAO)
    today = timezone.localdate().isoformat()
    types = {"JZZZ": (1, frozenset({"一级", "二级", "三级"}))}
    for n in range(1, 300):
        row = company_row(n)
        assert (
            columns.fast_company(row, districts, today) == columns.check_company(row, districts)[0]
        )
        cert = certificate_row(n, "JZZZ", grade="三级")
        slow = columns.check_certificate(cert, types)[0]
        fast = columns.fast_certificate(cert, types)
        assert fast is not None and slow is not None
        assert fast[:7] == slow[:7] and fast[7] == slow[7]
    spoiled = [
        {"name": " 前有空格"},
        {"legal_representative_id": "370202198001010000"},
        {"established_on": "2099-01-01"},
        {"shareholders": "甲:60;乙:40"},  # not canonical: the full check makes it 60.00
        {"mobile": "1380000000"},
        {"name": "青岛\u202e公司"},
        {"district": "370200"},
    ]
    for change in spoiled:
        assert columns.fast_company({**company_row(5), **change}, districts, today) is None
    # the full check accepts the non-canonical shareholders and writes them canonically
    good, problems = columns.check_company(
        {**company_row(5), "shareholders": "甲:60;乙:40"}, districts
    )
    assert not problems and good[9] == "甲:60.00;乙:40.00"


def test_the_partial_sum_checks_agree_with_the_portal_validators():
    """The import's table-driven check characters (USCC, resident ID) accept exactly what
    ``portal.validators`` accepts: valid codes, one character changed, wrong forms."""
    import random

    from django.core.exceptions import ValidationError

    from approvals.proactive.registers import columns
    from portal.validators import USCC_ALPHABET, validate_resident_id, validate_uscc
    from tests.factories import make_resident_id

    def valid(validator, value) -> bool:
        try:
            validator(value)
        except ValidationError:
            return False
        return True

    rng = random.Random(16)
    usccs = [make_uscc(n, region) for n in range(0, 40_000, 97) for region in QINGDAO[:3]]
    ids = [
        make_resident_id(n, region, born)
        for n in range(0, 1000, 7)
        for region in QINGDAO[:2]
        for born in ("19800101", "20000229", "19991231")
    ]
    for good in usccs[:200]:
        for pos in (0, 1, 2, 8, 11, 14, 16, 17):
            usccs.append(good[:pos] + rng.choice(USCC_ALPHABET + "IOZSVa") + good[pos + 1 :])
    for good in ids[:200]:
        for pos in (0, 6, 10, 12, 14, 17):
            ids.append(good[:pos] + rng.choice("0123456789Xx") + good[pos + 1 :])
    ids += ["370202190002300011", "370202299901010017", "37020219800101001", "", "3" * 18]
    usccs += ["", "9137020", "91370200MA3C5HKX4BX", "91370200ma3c5hkx4b", "٩1370200MA3C5HKX4B"]
    assert sum(columns.uscc_fast(v) for v in usccs) > 300  # the sample holds valid codes
    for value in usccs:
        assert columns.uscc_fast(value) == valid(validate_uscc, value), value
    assert sum(columns.resident_id_ok(v) for v in ids) > 500
    for value in ids:
        assert columns.resident_id_ok(value) == valid(validate_resident_id, value), value


def test_a_first_load_puts_back_every_index_and_constraint(tmp_path):
    """PostgreSQL loads an empty register without its secondary indexes and the foreign keys
    between its tables, and rebuilds them in the same transaction: afterwards the schema is the
    one the migrations made, and its constraints hold."""
    from django.db import IntegrityError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the first-load path is PostgreSQL's")
    tables = [
        "proactive_company",
        "proactive_contactperson",
        "proactive_shareholder",
        "proactive_certificate",
    ]

    def schema() -> set[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [tables]
            )
            found = set(cursor.fetchall())
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid), condeferred FROM pg_constraint "
                "WHERE conrelid = ANY(%s::regclass[])",
                [tables],
            )
            return found | set(cursor.fetchall())

    CertificateTypeFactory(code="JZZZ")
    before = schema()
    companies = import_register("companies", write_companies(tmp_path / "c.csv", range(1, 101)))
    rows = (certificate_row(n, "JZZZ", grade="三级") for n in range(1, 101))
    certificates = import_register(
        "certificates", write_rows(tmp_path / "r.csv", CERTIFICATE_HEADER, rows)
    )
    assert (companies.inserted, certificates.inserted) == (100, 100)
    assert schema() == before
    assert Shareholder.objects.count() == 150 and ContactPerson.objects.count() == 100
    holder = Company.objects.get(uscc=make_uscc(3, QINGDAO[3]))
    assert list(holder.shareholders.order_by("id").values_list("name", flat=True)) == [
        "法人3",
        "青岛投资3有限公司",
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Company.objects.create(
            uscc=holder.uscc, name="重复", legal_representative="某", district_id="370202"
        )
    # and the sequence goes on after the ids the load gave out
    loaded = max(Company.objects.values_list("pk", flat=True))
    later = Company.objects.create(
        uscc=make_uscc(999, "370202"),
        name="新公司",
        legal_representative="某",
        district_id="370202",
    )
    assert later.pk > loaded


def test_a_json_line_with_a_list_or_object_where_text_belongs_is_named_not_a_crash(tmp_path):
    import json

    rows = [company_row(n) for n in range(1, 6)]
    rows[1]["type"] = ["limited"]
    rows[2]["status"] = {"active": True}
    rows[3]["district"] = ["370202"]
    path = tmp_path / "c.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    record = import_register("companies", path)
    assert record.status == ImportStatus.REJECTED
    assert [(e["line"], e["field"]) for e in record.errors] == [
        (2, "type"),
        (3, "status"),
        (4, "district"),
    ]
    assert not Company.objects.exists()
