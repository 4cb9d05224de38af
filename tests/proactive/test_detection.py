"""Detection in the database: the daily expiry scan and the rules' dry run, set-based."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.proactive import services
from approvals.proactive.detection import scan_expiries
from approvals.proactive.models import Offer, ProactiveRule

from .factories import CertificateFactory, CertificateTypeFactory, CompanyFactory, make_rule


def _expiring(world, n, days=30, district="370200"):
    today = world.today
    for _ in range(n):
        CertificateFactory(
            type=world.renewal_type,
            company=CompanyFactory(district_id=district),
            expires_on=today + datetime.timedelta(days=days),
        )


def test_expiry_scan_offers_what_expires_within_the_rule_days(
    world, django_capture_on_commit_callbacks
):
    _expiring(world, 3, days=30)
    _expiring(world, 2, days=90)  # outside the 60 days
    _expiring(world, 2, days=-3)  # already expired: not this scan's business
    _expiring(world, 2, days=10, district="370211")  # Huangdao: the rule is not active there
    with django_capture_on_commit_callbacks(execute=True):
        assert services.run_expiry_scan() == 3
    assert set(Offer.objects.values_list("reason", "status")) == {("expiry", "sent")}
    assert all(o.deadline == world.today + datetime.timedelta(days=30) for o in Offer.objects.all())


def test_expiry_scan_never_offers_twice(world):
    _expiring(world, 4)
    assert services.run_expiry_scan() == 4
    assert services.run_expiry_scan() == 0
    Offer.objects.update(status="declined")
    assert services.run_expiry_scan() == 0  # declined stays declined
    assert Offer.objects.count() == 4


def test_expiry_scan_query_count_does_not_depend_on_the_data(world):
    _expiring(world, 2)
    with CaptureQueriesContext(connection) as small:
        scan_expiries()
    Offer.objects.all().delete()
    _expiring(world, 40)
    with CaptureQueriesContext(connection) as large:
        created = scan_expiries()
    assert created == 42
    # The rules' longest window, then one INSERT ... SELECT for every company-held certificate
    # and one for every person-held one (ADR 0111).
    assert len(small.captured_queries) == len(large.captured_queries) == 3
    assert large.captured_queries[1]["sql"].lstrip().upper().startswith("INSERT INTO")


def test_expiry_scan_without_rules_in_force_makes_nothing(world):
    _expiring(world, 3)
    ProactiveRule.objects.filter(trigger="expiry").update(active=False)
    assert scan_expiries() == 0
    assert not Offer.objects.exists()


def test_one_open_offer_per_certificate_and_reason_is_a_database_rule(world):
    from django.db import IntegrityError, transaction

    _expiring(world, 1)
    services.run_expiry_scan()
    offer = Offer.objects.get()
    with transaction.atomic(), __import__("pytest").raises(IntegrityError):
        Offer.objects.create(
            certificate=offer.certificate,
            company=offer.company,
            item=offer.item,
            rule=offer.rule,
            reason="expiry",
            deadline=offer.deadline,
            created_at=offer.created_at,
        )


def test_dry_run_counts_by_district_in_one_query(world, django_assert_num_queries):
    world.expiry_rule.active = False
    world.expiry_rule.save()
    world.expiry_rule.regions.set(["370200", "370283"])
    _expiring(world, 3)
    _expiring(world, 2, district="370283")
    _expiring(world, 1, days=100, district="370283")
    with django_assert_num_queries(2):  # the aggregate, and the district names
        result = services.dry_run(world.expiry_rule)
    assert (result.companies, result.certificates) == (5, 5)
    assert [(r["district_name"], r["companies"]) for r in result.rows] == [
        ("青岛市", 3),
        ("平度市", 2),
    ]
    assert Offer.objects.count() == 0  # a dry run makes nothing
    # a licence-change rule counts the holders it would reach
    change = services.dry_run(world.rule)
    assert (change.companies, change.certificates) == (1, 1)


def test_rule_dates_bound_detection(world):
    world.expiry_rule.valid_from = world.today + datetime.timedelta(days=5)
    world.expiry_rule.save()
    _expiring(world, 2)
    assert services.run_expiry_scan() == 0


def test_each_expiry_rule_keeps_its_own_window(world):
    """The scan reads certificates up to the longest window in force, but a rule with a shorter
    window still offers only within its own days."""
    food = CertificateTypeFactory(code="SPJY", name="食品经营许可证", item__name="食品经营许可延续")
    make_rule(food, trigger="expiry", days=90)
    _expiring(world, 2, days=75)  # renewal type, 60-day rule: too early
    for days in (75, 100):  # food type, 90-day rule: 75 is in, 100 is out
        CertificateFactory(
            type=food,
            company=CompanyFactory(),
            expires_on=world.today + datetime.timedelta(days=days),
        )
    assert scan_expiries() == 1
    offer = Offer.objects.get()
    assert offer.certificate.type == food
