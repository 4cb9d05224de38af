"""The economic-hardship test (ADR 0107): the standard in force on the application date for the
applicant's district, applied to the declared income and household; exemptions skip it, and an
applicant without figures is recorded as self-declared (art. 41)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from legal_aid.models import HardshipResult, HardshipStandard, State
from legal_aid.services import assess_hardship, take
from portal.catalogue.models import Region
from portal.workflow import NotNow

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def standards():
    """The city's: twice a minimum living standard of 1,100 yuan until yesterday, of 1,160
    from today; Laixi's own: 2,000 yuan."""
    today = timezone.localdate()
    old = HardshipStandard.objects.create(
        region_id="370200",
        basis="multiple",
        minimum_living_standard=1100,
        multiple=Decimal("2"),
        valid_from=datetime.date(2023, 7, 1),
        valid_to=today - datetime.timedelta(days=1),
    )
    new = HardshipStandard.objects.create(
        region_id="370200",
        basis="multiple",
        minimum_living_standard=1160,
        multiple=Decimal("2"),
        valid_from=today,
    )
    laixi = HardshipStandard.objects.create(
        region_id="370285", basis="amount", amount=2000, valid_from=datetime.date(2024, 1, 1)
    )
    return old, new, laixi


def _hardship(**overrides):
    return {
        "exemption": "",
        "hardship_statement": "一家两口，我打零工，爱人没有工作。",
        "household_size": 2,
        **overrides,
    }


def test_the_standard_in_force_on_the_application_date_decides(standards):
    old, new, _laixi = standards
    shinan = Region.objects.get(code="370202")
    today = timezone.localdate()
    # 4,500 yuan for two is 2,250 a person: above 2,200 until yesterday, within 2,320 today
    before = assess_hardship(
        exemption="",
        household_size=2,
        monthly_income=4500,
        region=shinan,
        day=today - datetime.timedelta(days=1),
    )
    now = assess_hardship(
        exemption="", household_size=2, monthly_income=4500, region=shinan, day=today
    )
    assert (before.result, before.standard, before.threshold) == ("exceeds", old, 2200)
    assert (now.result, now.standard, now.threshold, now.per_person) == ("meets", new, 2320, 2250)


def test_a_district_standard_comes_before_the_citys(standards):
    laixi = Region.objects.get(code="370285")
    found = assess_hardship(
        exemption="",
        household_size=1,
        monthly_income=2100,
        region=laixi,
        day=timezone.localdate(),
    )
    assert (found.result, found.threshold) == ("exceeds", 2000)


def test_within_the_standard_the_centre_grants(citizen, laixi_staff, standards):
    app = f.submit(citizen, **_hardship(monthly_income=4500))
    assert app.hardship_result == HardshipResult.MEETS
    assert (app.hardship_threshold, app.income_per_person) == (2320, 2250)
    take(app.reference, "start_review", laixi_staff)
    assert take(app.reference, "grant", laixi_staff).state == State.GRANTED


def test_above_the_standard_the_grant_is_refused_and_the_refusal_stands(
    citizen, laixi_staff, standards
):
    app = f.submit(citizen, **_hardship(monthly_income=5000))
    assert app.hardship_result == HardshipResult.EXCEEDS
    take(app.reference, "start_review", laixi_staff)
    with pytest.raises(NotNow) as refused:
        take(app.reference, "grant", laixi_staff)
    assert "2500" in refused.value.message and "2320" in refused.value.message
    assert take(app.reference, "refuse", laixi_staff, reasons="收入高于标准").state == "refused"


def test_exempt_groups_skip_the_test(citizen, standards):
    waived = f.submit(citizen, exemption="migrant_worker_wages", monthly_income=90000)
    unconditional = f.submit(
        citizen, exemption="abuse_victim", household_size=1, monthly_income=90000
    )
    assert waived.hardship_result == HardshipResult.CHECK_WAIVED
    assert unconditional.hardship_result == HardshipResult.NO_CONDITION
    assert waived.hardship_standard is None and unconditional.hardship_threshold is None


def test_without_figures_the_declaration_with_commitment_is_recorded(citizen, standards):
    app = f.submit(citizen, **_hardship(household_size=None, monthly_income=None))
    assert app.hardship_result == HardshipResult.DECLARED
    assert app.commitment_at is not None


def test_the_applicant_sees_the_rule_and_the_figure(client, citizen, standards):
    app = f.submit(citizen, **_hardship(monthly_income=4500))
    client.force_login(citizen)
    page = client.get(f"/legal-aid/my/{app.reference}/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "2250" in text and "2320" in text
    assert "2 times the minimum living standard of 1160 yuan" in text
    page = client.get(f"/legal-aid/my/{app.reference}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "最低生活保障标准" in page.content.decode()


def test_overlapping_standards_are_refused(standards):
    overlapping = HardshipStandard(
        region_id="370200",
        basis="amount",
        amount=3000,
        valid_from=timezone.localdate() + datetime.timedelta(days=30),
    )
    with pytest.raises(ValidationError):
        overlapping.full_clean()
