"""Reminders follow each rule's own delay, chosen in SQL with a fixed number of queries."""

import datetime

from django.utils import timezone

from approvals.proactive import services
from approvals.proactive.models import Offer, ProactiveRule

from .conftest import event
from .factories import CertificateFactory, CertificateTypeFactory, make_rule
from .helpers import post_events


def test_each_rule_reminds_after_its_own_delay(
    world, market_client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    ProactiveRule.objects.filter(pk=world.rule.pk).update(reminder_after_days=7)
    quick_type = CertificateTypeFactory(code="SPJY", name="食品经营许可证")
    make_rule(quick_type, reminder_after_days=3)
    quick = CertificateFactory(company=world.company, type=quick_type)
    with django_capture_on_commit_callbacks(execute=True):
        post_events(market_client, [event(uscc=world.company.uscc)])
    assert Offer.objects.filter(status="sent").count() == 2
    four_days_on = timezone.now() + datetime.timedelta(days=4)
    with django_assert_max_num_queries(12):
        assert services.send_reminders(now=four_days_on) > 0
    reminded = set(Offer.objects.filter(reminded_at__isnull=False).values_list("certificate_id"))
    assert reminded == {(quick.pk,)}
