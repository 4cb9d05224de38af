"""POST /api/v1/approvals/licence-events/: validated, all-or-nothing, idempotent, detection in
the same transaction."""

import pytest
from django.test import Client

from approvals.proactive.models import Company, LicenceEvent, Offer, Shareholder

from .conftest import event
from .factories import CertificateFactory, CompanyFactory
from .helpers import post_events


def test_same_event_posted_twice_yields_one_offer(world, market_client):
    first = post_events(market_client, [event(uscc=world.company.uscc)])
    second = post_events(market_client, [event(uscc=world.company.uscc)])
    assert first.status_code == second.status_code == 201
    assert len(first.json()["events"][0]["offers"]) == 1
    assert second.json()["events"][0] == {"event_id": "SCJG-1", "status": "duplicate", "offers": []}
    assert LicenceEvent.objects.count() == 1
    assert Offer.objects.count() == 1


def test_a_second_change_while_an_offer_is_open_makes_no_second_offer(world, market_client):
    post_events(market_client, [event(uscc=world.company.uscc)])
    response = post_events(
        market_client,
        [
            event(
                "SCJG-2",
                uscc=world.company.uscc,
                field="address",
                old=world.company.address,
                new="青岛市崂山区株洲路88号",
            )
        ],
    )
    assert response.json()["events"][0]["offers"] == []
    assert Offer.objects.filter(certificate=world.certificate).count() == 1


def test_bad_batch_stores_nothing_and_names_each_bad_event(world, market_client):
    other = CompanyFactory()
    events = [
        event("OK-1", uscc=world.company.uscc),
        event("BAD-USCC", uscc="91370200MA3C5HKX4Z"),  # wrong check character
        {**event("BAD-FIELD", uscc=other.uscc), "changes": {"capital": {"old": 1, "new": 2}}},
        "not an event",
        {
            "event_id": "BAD-DATE",
            "uscc": other.uscc,
            "changed_on": "20-11-2026",
            "changes": {"name": {"new": "x"}},
        },
    ]
    response = post_events(market_client, events)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    named = [(e["index"], e["event_id"]) for e in problem["invalid_events"]]
    assert named == [(1, "BAD-USCC"), (2, "BAD-FIELD"), (3, None), (4, "BAD-DATE")]
    assert "uscc" in problem["invalid_events"][0]["errors"]
    assert "capital" in str(problem["invalid_events"][1]["errors"]["changes"])
    assert "changed_on" in problem["invalid_events"][3]["errors"]
    assert LicenceEvent.objects.count() == 0
    assert Offer.objects.count() == 0
    world.company.refresh_from_db()
    assert world.company.legal_representative == "王建国"


@pytest.mark.parametrize(
    "payload",
    [{}, {"events": []}, {"events": "x"}, {"events": [], "extra": 1}, [1, 2]],
)
def test_malformed_envelope_is_a_problem(world, market_client, payload):
    response = market_client.post(
        "/api/v1/approvals/licence-events/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["status"] == 400


def test_events_update_the_register_and_shareholders(world, market_client):
    response = post_events(
        market_client,
        [
            event(
                "E1",
                uscc=world.company.uscc,
                field="name",
                old=world.company.name,
                new="青岛海岳建设集团有限公司",
            ),
            {
                "event_id": "E2",
                "uscc": world.company.uscc,
                "changed_on": "2026-11-21",
                "changes": {
                    "shareholders": {"old": [], "new": ["王建国", {"name": "李海峰", "share": 30}]},
                    "address": {"old": "", "new": "青岛市崂山区株洲路88号"},
                },
            },
        ],
    )
    assert response.status_code == 201
    company = Company.objects.get(pk=world.company.pk)
    assert company.name == "青岛海岳建设集团有限公司"
    assert company.address == "青岛市崂山区株洲路88号"
    holders = dict(Shareholder.objects.filter(company=company).values_list("name", "share"))
    assert set(holders) == {"王建国", "李海峰"} and holders["李海峰"] == 30
    # one certificate: one open offer, reported on the first event that caused it
    assert [len(e["offers"]) for e in response.json()["events"]] == [1, 0]


def test_unknown_company_is_stored_without_offers(world, market_client):
    from tests.factories import make_uscc

    response = post_events(market_client, [event("E9", uscc=make_uscc(999_999))])
    assert response.status_code == 201
    assert response.json()["events"][0]["offers"] == []
    assert LicenceEvent.objects.get().company is None


def test_rule_fields_regions_and_activity_decide(world, market_client):
    world.rule.fields = ["name"]
    world.rule.save()
    post_events(market_client, [event("E1", uscc=world.company.uscc)])  # legal rep: not a trigger
    assert Offer.objects.count() == 0
    laixi = CompanyFactory(district_id="370285")
    CertificateFactory(company=laixi, type=world.ctype)
    post_events(market_client, [event("E2", uscc=laixi.uscc, field="name", old="a", new="b")])
    assert Offer.objects.count() == 0  # the rule is not active in Laixi
    world.rule.active = False
    world.rule.save()
    post_events(
        market_client,
        [event("E3", uscc=world.company.uscc, field="name", old="a", new="青岛新名建设有限公司")],
    )
    assert Offer.objects.count() == 0


def test_detection_is_set_based(world, market_client, django_assert_max_num_queries):
    companies = CompanyFactory.create_batch(30)
    for company in companies:
        CertificateFactory(company=company, type=world.ctype)
    events = [event(f"B{i}", uscc=c.uscc) for i, c in enumerate(companies)]
    with django_assert_max_num_queries(25):
        response = post_events(market_client, events)
    assert response.status_code == 201
    assert response.json()["offers_created"] == 30


def test_only_the_register_feed_key_posts_events(world, client):
    """Issue 11: no person posts licence events, staff or not, with the model permission or
    without; a key without the scope is refused too. Nothing is stored, the register unchanged."""
    from django.contrib.auth.models import Permission

    from tests.factories import StaffUserFactory, UserFactory

    from .conftest import system_client

    batch = [event(uscc=world.company.uscc, new="攻击者")]
    assert post_events(client, batch).status_code == 401
    for user in (
        UserFactory(username="someone"),
        StaffUserFactory(username="yantai_like_staff"),
        world.staff,
    ):
        signed_in = Client()
        signed_in.force_login(user)
        assert post_events(signed_in, batch).status_code in (401, 403), user.username
    old_system_account = UserFactory(username="scjg_system")
    old_system_account.user_permissions.add(Permission.objects.get(codename="add_licenceevent"))
    signed_in = Client()
    signed_in.force_login(old_system_account)
    assert post_events(signed_in, batch).status_code in (401, 403)
    assert post_events(system_client("register:read"), batch).status_code == 403
    queue = system_client("courier:events").post(
        "/api/v1/approvals/licence-events/queue/",
        {"events": batch},
        content_type="application/json",
    )
    assert queue.status_code == 403
    assert LicenceEvent.objects.count() == 0
    world.company.refresh_from_db()
    assert world.company.legal_representative == "王建国"


def test_a_body_over_the_limit_is_a_413_and_never_read(world, market_client, settings):
    """The 24 MB batch is refused on its Content-Length before the view parses anything."""
    from unittest import mock

    from approvals.proactive import api

    body = b'{"events": [' + b" " * (24 * 1024 * 1024) + b"]}"
    with mock.patch.object(api, "_posted_events", side_effect=AssertionError("read")) as validated:
        response = market_client.post(
            "/api/v1/approvals/licence-events/", body, content_type="application/json"
        )
    assert response.status_code == 413
    assert not validated.called
    assert LicenceEvent.objects.count() == 0


def test_queued_path_validates_then_ingests(world, market_client):
    response = market_client.post(
        "/api/v1/approvals/licence-events/queue/",
        {"events": [event(uscc=world.company.uscc)]},
        content_type="application/json",
    )
    assert response.status_code == 202
    # the test settings run django-q2 synchronously
    assert Offer.objects.count() == 1
    bad = market_client.post(
        "/api/v1/approvals/licence-events/queue/",
        {"events": [event(uscc="123")]},
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_a_batch_is_ingested_with_fewer_collections_and_the_threshold_restored(
    world, market_client, monkeypatch
):
    """A batch allocates some 100,000 short-lived objects: the collector's young threshold is
    raised while it is ingested (ADR 0071) and back to the worker's afterwards (ADR 0124)."""
    import gc

    from approvals.proactive.services import ingest as services
    from portal.collector import BATCH_THRESHOLD

    before = gc.get_threshold()
    seen = []
    ingest = services.ingest_licence_events

    def recording(events):
        seen.append(gc.get_threshold())
        return ingest(events)

    monkeypatch.setattr(services, "ingest_licence_events", recording)
    assert post_events(market_client, [event(uscc=world.company.uscc)]).status_code == 201
    assert seen == [BATCH_THRESHOLD]
    assert gc.get_threshold() == before
