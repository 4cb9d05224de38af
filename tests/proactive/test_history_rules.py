"""Rules on the holder's past cases (issue 16, ADR 0109): follow-on items within N days of a
completed case, this year's annual item for last year's holders; one statement per rule and day
whatever the number of cases, and the dry run with a sample of who would get an offer."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from approvals.models import AcceptancePoint, Case
from approvals.proactive import history, services
from approvals.proactive.models import HistoryWindow, Offer
from tests.factories import ServiceItemFactory

from .factories import CertificateFactory, CertificateTypeFactory, CompanyFactory, make_rule

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


class Past:
    point: AcceptancePoint | None = None
    serial = 0


def past_case(item, company, *, done_on=None, status="closed", submitted_on=None) -> Case:
    if Past.point is None or not AcceptancePoint.objects.filter(pk=Past.point.pk).exists():
        Past.point = AcceptancePoint.objects.create(
            code="HIST-PT", name="青岛市政务服务网", region_id="370200", kind="online_platform"
        )
    Past.serial += 1
    done = at(done_on) if done_on else None
    return Case.objects.create(
        reference=f"QDHIST{Past.serial:06d}",
        item=item,
        applicant_kind="company",
        applicant_id_number=company.uscc,
        applicant_name=company.name,
        channel="online",
        accepting_point=Past.point,
        department=item.department,
        status=status,
        submitted_at=at(submitted_on)
        if submitted_on
        else (done or at(TODAY)) - datetime.timedelta(days=10),
        decided_at=done,
        closed_at=done if status == "closed" else None,
    )


@pytest.fixture
def follow_on(db):
    """企业设立登记 completed → the qualification holder is offered the safety licence within 30
    days."""
    ctype = CertificateTypeFactory(code="JZZZ")
    establishment = ServiceItemFactory(name="企业设立登记", applicant_kind="company")
    safety = ServiceItemFactory(name="建筑施工企业安全生产许可证核发", applicant_kind="company")
    rule = make_rule(
        ctype,
        trigger="case_history",
        days=30,
        history_item=establishment,
        history_window=HistoryWindow.WITHIN_DAYS,
    )
    rule.item = safety
    rule.save()
    return ctype, establishment, safety, rule


def holder(ctype, name: str):
    company = CompanyFactory(name=name)
    CertificateFactory(company=company, type=ctype)
    return company


def test_completed_case_brings_the_follow_on_offer_within_n_days(follow_on):
    ctype, establishment, safety, rule = follow_on
    recent = holder(ctype, "青岛新设一建设有限公司")
    past_case(establishment, recent, done_on=TODAY - datetime.timedelta(days=5))
    too_old = holder(ctype, "青岛老设建设有限公司")
    past_case(establishment, too_old, done_on=TODAY - datetime.timedelta(days=45))
    pending = holder(ctype, "青岛在办建设有限公司")
    past_case(establishment, pending, status="under_review")
    no_certificate = CompanyFactory(name="青岛无证商贸有限公司")
    past_case(establishment, no_certificate, done_on=TODAY - datetime.timedelta(days=3))
    applied = holder(ctype, "青岛已申请建设有限公司")
    past_case(establishment, applied, done_on=TODAY - datetime.timedelta(days=8))
    past_case(
        safety, applied, status="under_review", submitted_on=TODAY - datetime.timedelta(days=2)
    )

    assert services.run_history_scan(today=TODAY) == 1
    offer = Offer.objects.get()
    assert (offer.company, offer.item, offer.rule, offer.reason) == (
        recent,
        safety,
        rule,
        "case_history",
    )
    assert offer.deadline == TODAY + datetime.timedelta(days=rule.response_days)
    # the next day: offered once, not again
    assert services.run_history_scan(today=TODAY + datetime.timedelta(days=1)) == 0


def test_annual_item_handled_last_year_is_offered_this_year(db):
    ctype = CertificateTypeFactory(code="RLZY", grades="")
    annual = ServiceItemFactory(name="人力资源服务许可证年度报告", applicant_kind="company")
    rule = make_rule(
        ctype,
        trigger="case_history",
        history_item=annual,
        history_window=HistoryWindow.LAST_YEAR,
    )
    rule.item = annual
    rule.save()
    last_year = holder(ctype, "青岛人力资源服务有限公司")
    past_case(annual, last_year, done_on=datetime.date(2025, 4, 20))
    done_already = holder(ctype, "青岛已年报人力有限公司")
    past_case(annual, done_already, done_on=datetime.date(2025, 5, 2))
    past_case(annual, done_already, done_on=datetime.date(2026, 3, 1))
    two_years_ago = holder(ctype, "青岛前年人力有限公司")
    past_case(annual, two_years_ago, done_on=datetime.date(2024, 6, 1))

    assert services.run_history_scan(today=TODAY) == 1
    assert Offer.objects.get().company == last_year


def test_dry_run_counts_and_names_a_sample_without_offering(follow_on):
    ctype, establishment, _safety, rule = follow_on
    for n in range(12):
        company = holder(ctype, f"青岛新设{n:02d}建设有限公司")
        past_case(establishment, company, done_on=TODAY - datetime.timedelta(days=n))
    result = services.dry_run(rule, today=TODAY)
    assert (result.companies, result.certificates) == (12, 12)
    assert [r["district"] for r in result.rows] == ["370200"]
    assert len(result.sample) == 10
    first = result.sample[0]
    assert first["company"].startswith("青岛新设") and first["case"].startswith("QDHIST")
    assert not Offer.objects.exists()


def test_dry_run_page_lists_the_sample(follow_on, admin_client):
    ctype, establishment, _safety, rule = follow_on
    company = holder(ctype, "青岛样本建设有限公司")
    case = past_case(establishment, company, done_on=timezone.localdate())
    response = admin_client.post(
        "/admin/proactive/proactiverule/",
        {"action": "dry_run", "_selected_action": [rule.pk]},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "青岛样本建设有限公司" in text and case.reference in text


@pytest.mark.parametrize("holders", [3, 30])
def test_detection_is_one_statement_per_rule_whatever_the_cases(
    follow_on, django_assert_num_queries, holders
):
    ctype, establishment, _safety, _rule = follow_on
    for n in range(holders):
        company = holder(ctype, f"青岛批量{n:03d}建设有限公司")
        past_case(establishment, company, done_on=TODAY - datetime.timedelta(days=1))
    # the rules in force, then one INSERT ... SELECT per history rule
    with django_assert_num_queries(2):
        made = history.scan_history(today=TODAY)
    assert made == holders
