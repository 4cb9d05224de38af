import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import StaffUserFactory, UserFactory
from tests.servers.courier import courier_server, dev_courier  # noqa: F401 - fixtures

from .factories import (
    CertificateFactory,
    CertificateTypeFactory,
    CompanyFactory,
    ContactFactory,
    make_rule,
)


class World:
    """A construction company with a grade-3 qualification, its three contacts (the legal
    representative has an account), a licence-change rule and an expiry rule."""


@pytest.fixture
def world(db):
    w = World()
    w.ctype = CertificateTypeFactory(code="JZZZ")
    w.item = w.ctype.item
    w.renewal_type = CertificateTypeFactory(
        code="MFQY",
        name="民办非企业单位登记证书",
        item__name="民办非企业单位登记证书到期换发",
        grades="",
    )
    w.company = CompanyFactory(name="青岛海岳建设工程有限公司", legal_representative="王建国")
    w.rep_user = UserFactory(username="company_rep", real_name="王建国", mobile="13953200001")
    w.rep = ContactFactory(company=w.company, name="王建国", mobile="13953200001", user=w.rep_user)
    w.handler = ContactFactory(
        company=w.company,
        role="handler",
        name="李娜",
        mobile="13953200002",
        wechat_id="",
        email="lina@example.cn",
    )
    w.agent = ContactFactory(
        company=w.company, role="agent", name="青岛政通代办", mobile="13953200003", wechat_id=""
    )
    w.certificate = CertificateFactory(company=w.company, type=w.ctype, number="D237020001")
    w.rule = make_rule(w.ctype)
    w.expiry_rule = make_rule(w.renewal_type, trigger="expiry", days=60)
    w.staff = StaffUserFactory(username="reviewer", department=w.item.department)
    w.today = timezone.localdate()
    w.yesterday = w.today - datetime.timedelta(days=1)
    return w


def event(
    event_id="SCJG-1",
    uscc=None,
    field="legal_representative",
    old="王建国",
    new="李海峰",
    changed_on="2026-11-20",
):
    return {
        "event_id": event_id,
        "uscc": uscc,
        "changed_on": changed_on,
        "changes": {field: {"old": old, "new": new}},
    }


def system_client(*scopes: str) -> Client:
    """A test client sending the API key of a new system client with ``scopes``."""
    from portal.accounts.services import create_system_client

    _client, key = create_system_client(name=f"test-{'-'.join(scopes)}", scopes=list(scopes))
    return Client(HTTP_AUTHORIZATION=f"Api-Key {key}")


@pytest.fixture
def market_client(db):
    """The market-regulation register feed: a system client whose key may post events (never a
    person's account, staff or not)."""
    return system_client("licence_events:write")


@pytest.fixture
def courier_client(db):
    """The courier: a system client whose key may report delivery events (its calls are signed
    as well)."""
    return system_client("courier:events")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """One-time codes are rate-limited through the cache: start every test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _courier(dev_courier):  # noqa: F811
    """Orders go to the project's courier server (a separate process), emptied for each test."""
    return dev_courier
