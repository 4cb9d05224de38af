"""Proactive approvals on the demo data: licence events through the API with detection, the
expiry scan, the applicant's pages, the verification page and the dashboard."""

from __future__ import annotations

import json
import time

from django.contrib.auth import get_user_model

from tests.bench.util import bare_view_timing, client, time_view


def _expiry_scan_and_floor(report) -> None:
    """The scan against its floor (tests/bench/city.py: the scan's own statement without the
    NOT EXISTS, ON CONFLICT and random tokens; same "today", same plan), each on the same state:
    in a transaction rolled back, without the expiry offers made before."""
    from django.db import connection, transaction

    from approvals.proactive import detection
    from tests.bench.city import expiry_floor_sql, expiry_params, plans

    params = expiry_params()
    if connection.vendor == "postgresql":
        scan_plan, floor_plan = plans(params)
        if scan_plan != floor_plan:
            raise AssertionError(f"expiry floor: not the scan's plan: {scan_plan} / {floor_plan}")
    timings = {}
    for name, statement in (("scan", detection.expiry_sql()), ("floor", expiry_floor_sql())):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM proactive_offer WHERE reason = 'expiry'")
            started = time.perf_counter()
            cursor.execute(statement, params)
            timings[name] = (time.perf_counter() - started) * 1000, cursor.rowcount
            transaction.set_rollback(True)
    if timings["scan"][1] != timings["floor"][1]:
        raise AssertionError(f"expiry floor: other offers than the scan's: {timings}")
    report.line("expiry scan statement (demo size)", timings["scan"][0], "ms")
    report.line("expiry scan floor (demo size)", timings["floor"][0], "ms")
    report.line("expiry scan / floor (demo size)", timings["scan"][0] / timings["floor"][0], "x")


def run(report) -> None:
    from approvals.proactive import services
    from approvals.proactive.demo import FIXTURE
    from approvals.proactive.models import Certificate, ContactPerson, Offer
    from portal.accounts.services import create_system_client

    # The register feed posts with its own API key (no person may post licence events).
    _feed, key = create_system_client(name="bench-feed", scopes=["licence_events:write"])
    feed = client()
    # An administrator (a superuser) for the pages: the dashboard over every offer.
    c = client()
    c.force_login(get_user_model().objects.filter(is_superuser=True).first())
    events = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line]
    started = time.perf_counter()
    response = feed.post(
        "/api/v1/approvals/licence-events/",
        {"events": events},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Api-Key {key}",
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 201, response.content[:300]
    report.line("licence events (demo replay) posted", len(events), "events")
    report.line("licence events (demo replay) offers created", response.json()["offers_created"])
    # The bench profile runs django-q2 synchronously: this includes sending every offer to every
    # contact over every channel, which a worker does after commit in production.
    report.line(
        "licence events (demo replay) request incl. detection and synchronous sending",
        elapsed * 1000,
        "ms",
    )

    _expiry_scan_and_floor(report)
    started = time.perf_counter()
    services.run_expiry_scan()
    report.line("expiry scan (demo size)", (time.perf_counter() - started) * 1000, "ms")

    offer = Offer.objects.filter(status__in=["created", "sent"]).select_related("company").first()
    contact = ContactPerson.objects.filter(company=offer.company).first()
    link = f"/proactive/offers/{services.sign_link(offer, contact)}/"
    applicant = client()
    t = time_view(applicant, link, n=30)
    report.line("applicant step 1 page median", t.median_ms, "ms")
    report.line("applicant step 1 page queries", t.queries, "per request")
    report.line("applicant step 1 page / bare view", t.ratio(bare_view_timing(c)), "x")

    code = Certificate.objects.first().verification_code
    t = time_view(client(), f"/verify/{code}/", n=50)
    report.line("verification page median", t.median_ms, "ms")
    report.line("verification page queries", t.queries, "per request")

    t = time_view(c, "/proactive/dashboard/", n=20)
    report.line("proactive dashboard median", t.median_ms, "ms")
    report.line("proactive dashboard queries", t.queries, "per request")
