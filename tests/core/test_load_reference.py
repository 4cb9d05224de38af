"""A production install that follows the README (``migrate``, then ``load_reference``) takes a
legal-aid application and a case on the real reference data, without the demo; and loading the
reference data again changes nothing, while a changed data file updates the row."""

from __future__ import annotations

import base64
import hashlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from legal_aid.models import Body, Centre, LegalAidApplication
from portal.accounts.models import User
from portal.accounts.services import update_profile
from portal.catalogue.models import (
    Department,
    HandlingList,
    ListEntry,
    Material,
    Region,
    ServiceItem,
)
from portal.catalogue.selectors import list_items, qingdao_district_codes
from tests.factories import make_resident_id

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"
REFERENCE_MODELS = [
    "catalogue.Region",
    "catalogue.Department",
    "catalogue.ServiceItem",
    "catalogue.Material",
    "catalogue.HandlingList",
    "catalogue.ListEntry",
    "legal_aid.Centre",
    "legal_aid.Body",
    "proactive.CertificateType",
]


def load_reference(*args: str) -> str:
    out = StringIO()
    call_command("load_reference", *args, stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, tuple[int, str]]:
    """Row count and a checksum of the names (and what else identifies a row) of every table
    the reference data fills, history tables included."""
    state = {}
    for label in REFERENCE_MODELS:
        model = apps.get_model(label)
        fields = [f for f in ("code", "name", "name_en", "kind", "position") if _has(model, f)]
        rows = sorted(map(str, model._default_manager.values_list("pk", *fields)))
        digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        state[label] = (len(rows), digest)
        history = getattr(model, "history", None)
        if history is not None:
            state[f"{label} history"] = (history.count(), "")
    return state


def _has(model, name: str) -> bool:
    return any(f.name == name for f in model._meta.concrete_fields)


def new_citizen() -> User:
    user = User.objects.create_user(username="new_citizen", password="a-long-passphrase-2021")
    return update_profile(
        user, real_name="张新民", resident_id=make_resident_id(7, "370212", "19900505")
    )


def test_a_fresh_install_takes_a_legal_aid_application_and_a_case(client):
    # an empty database: migrate made the regions and the online acceptance point, nothing more
    assert not Department.objects.exists() and not Centre.objects.exists()
    output = load_reference()
    assert "Reference data loaded." in output
    assert not User.objects.exists()  # reference data, no demo people

    # what a real deployment needs
    assert qingdao_district_codes() == [
        "370202", "370203", "370211", "370212", "370213",
        "370214", "370215", "370281", "370283", "370285",
    ]  # fmt: skip
    assert list_items("city_wide").count() == 699
    assert list_items("regional").count() == 40
    assert list_items("town").count() == 57
    assert list_items("village").count() == 23
    assert Centre.objects.count() == 21 and Body.objects.filter(kind="basic_court").count() == 10
    # the 20 proactive-approval items for companies and 3 for individuals (issue 16)
    assert apps.get_model("proactive.CertificateType").objects.count() == 23

    citizen = new_citizen()
    client.force_login(citizen)

    # legal aid: a labour dispute in Laixi's court goes to Laixi's centre
    response = client.post(
        "/api/v1/legal-aid/applications/",
        {
            "applicant_name": "张新民",
            "resident_id": citizen.resident_id,
            "phone": "13969007777",
            "residence": "370212",
            "matter_type": "litigation",
            "category": "labour",
            "body": "C370285",
            "facts": "用人单位拖欠工资三个月，共一万二千元。",
            "exemption": "migrant_worker_wages",
            "commitment": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["competent_centre"]["code"] == "LA370285"
    application = LegalAidApplication.objects.get(applicant=citizen)
    assert application.competent_centre.name == "莱西市法律援助中心"

    # a case: an item of the city-wide list, applied for online with its materials
    item = (
        list_items("city_wide")
        .filter(online=True, applicant_kind__in=["person", "both"], proactive=False)
        .exclude(materials__source="commitment")
        .order_by("code")
        .first()
    )
    materials = [
        {
            "material": material.pk,
            "kind": "file",
            "file_name": f"{material.position}.pdf",
            "content_base64": base64.b64encode(PDF).decode(),
        }
        for material in item.materials.filter(source="applicant")
    ]
    response = client.post(
        "/api/v1/cases/",
        {
            "item": item.code,
            "applicant_kind": "person",
            "applicant_id_number": citizen.resident_id,
            "applicant_name": "张新民",
            "channel": "online",
            "materials": materials,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    case = response.json()
    assert case["status"] == "submitted"
    assert case["department"]["code"] == item.department.code
    assert Department.objects.filter(code=case["department"]["code"]).exists()


def test_loading_twice_changes_nothing_and_a_changed_name_is_updated(monkeypatch, tmp_path):
    load_reference()
    before = snapshot()
    assert before["catalogue.ServiceItem"][0] > 2000
    output = load_reference()
    assert snapshot() == before
    assert " 0 new, 0 changed" in output and "1 new" not in output

    # the data file names a department differently: the next load renames it (with history)
    from portal.catalogue import reference

    source = reference.DATA / "departments.csv"
    edited = tmp_path / "departments.csv"
    edited.write_text(
        source.read_text(encoding="utf-8").replace("青岛市民政局", "青岛市民政局（更名）"),
        encoding="utf-8",
    )
    real_read = reference.read
    monkeypatch.setattr(
        reference,
        "read",
        lambda name: real_read(name) if name != "departments.csv" else _rows(edited),
    )
    load_reference("--only", "catalogue")
    department = Department.objects.get(code="370200-MZJ")
    assert department.name == "青岛市民政局（更名）"
    assert [h.name for h in department.history.order_by("history_date")] == [
        "青岛市民政局",
        "青岛市民政局（更名）",
    ]
    assert Department.objects.count() == before["catalogue.Department"][0]


def _rows(path):
    from portal.reference import read_csv

    return read_csv(path)


def test_only_loads_the_named_apps_and_refuses_an_unknown_label():
    load_reference("--only", "catalogue")
    assert ServiceItem.objects.exists() and Material.objects.exists()
    assert HandlingList.objects.count() == 4 and ListEntry.objects.exists()
    assert not Centre.objects.exists()
    with pytest.raises(CommandError, match="catalog"):
        load_reference("--only", "catalog")


def test_regions_come_from_the_one_data_file():
    from portal.catalogue.reference import region_rows

    assert set(Region.objects.values_list("code", flat=True)) == {
        row["code"] for row in region_rows()
    }
