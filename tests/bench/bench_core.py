"""Shared core: notifications (bulk send, delivery), one-time codes, working days, the inbox and
the rating statistics at 10,000 ratings. Everything runs in a transaction that is rolled back,
so a PostgreSQL bench database does not grow from run to run."""

from __future__ import annotations

import datetime
import re
import time

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from tests.bench.util import bare_view_timing, client, scale, time_callable, time_view

N_MESSAGES = scale(10_000, 200)
N_RATINGS = scale(10_000, 200)


def run(report) -> None:
    with transaction.atomic():
        _run(report)
        transaction.set_rollback(True)


def _run(report) -> None:
    from portal.accounts import services as accounts
    from portal.accounts.models import User
    from portal.catalogue.models import ServiceItem
    from portal.notifications import services as notifications
    from portal.notifications.models import Notification, Status
    from portal.notifications.services import OutgoingMessage
    from portal.ratings.models import Rating
    from portal.workdays import add_working_days

    c = client()
    baseline = bare_view_timing(c)

    # --- notifications -------------------------------------------------------------------------
    messages = [
        OutgoingMessage(
            channel="sms",
            subject="办件提醒",
            body=f"您的办件第{i}号已受理。",
            address=f"139{i:08d}",
            key=f"bench:{i}",
        )
        for i in range(N_MESSAGES)
    ]
    started = time.perf_counter()
    created = notifications.send_bulk(messages)
    elapsed = time.perf_counter() - started
    report.line(f"send_bulk {created} SMS (keyed)", elapsed * 1000, "ms")
    report.line("send_bulk throughput", created / elapsed, "messages/s")

    ids = list(Notification.objects.filter(key__startswith="bench:").values_list("pk", flat=True))
    batch = ids[:1000]
    started = time.perf_counter()
    result = notifications.deliver(batch)
    elapsed = time.perf_counter() - started
    assert result["sent"] == len(batch), result
    report.line("deliver via outbox backend, per message", elapsed * 1000 / len(batch), "ms")
    started = time.perf_counter()
    again = notifications.send_bulk(messages[:1000])
    report.line(
        "send_bulk of 1000 known keys (idempotent, 0 stored)",
        (time.perf_counter() - started) * 1000,
        "ms",
    )
    assert again == 0
    assert Notification.objects.filter(pk__in=batch, status=Status.SENT).count() == len(batch)

    # --- inbox page with 1,000 messages ---------------------------------------------------------
    user, _ = User.objects.get_or_create(username="bench-inbox", defaults={"mobile": "13999999999"})
    notifications.send_bulk(
        OutgoingMessage(
            channel="inbox",
            recipient=user,
            subject=f"消息{i}",
            body=f"第{i}条消息的正文。",
            key=f"bench-inbox:{i}",
        )
        for i in range(1000)
    )
    c.force_login(user)
    t = time_view(c, "/inbox/", n=30)
    report.line("inbox page (1000 messages) median", t.median_ms, "ms")
    report.line("inbox page p95", t.p95_ms, "ms")
    report.line("inbox page queries", t.queries, "per request")
    report.line("inbox page / bare view", t.ratio(baseline), "x")
    c.logout()

    # --- one-time codes --------------------------------------------------------------------------
    counter = iter(range(10_000))

    def issue_and_verify() -> None:
        from django.core.cache import cache

        mobile = f"137{next(counter):08d}"
        accounts.issue_code(mobile, "login")
        body = Notification.objects.filter(address=mobile).latest("id").body
        code = re.search(r"\d{6}", body).group(0)
        accounts.verify_code(mobile, "login", code)
        cache.delete(f"otp-issue:{mobile}")

    t = time_callable(issue_and_verify, n=50)
    report.line("issue + verify a sign-in code median", t.median_ms, "ms")
    report.line("issue + verify queries", t.queries, "")

    # --- working days ----------------------------------------------------------------------------
    t = time_callable(lambda: add_working_days(datetime.date(2026, 9, 25), 20), n=200)
    report.line("add_working_days(20) median", t.median_ms, "ms")

    # --- ratings statistics at 10,000 ratings ----------------------------------------------------
    items = list(ServiceItem.objects.select_related("department").order_by("code")[:500])
    if not items:
        report.line("ratings statistics", "skipped (no demo items)", "")
        return
    content_type = ContentType.objects.get_for_model(ServiceItem)
    rater = user
    Rating.objects.bulk_create(
        [
            Rating(
                content_type=content_type,
                object_id=f"bench-{i}",
                user=rater,
                score=(i * 7) % 5 + 1,
                department=items[i % len(items)].department,
                item=items[i % len(items)],
            )
            for i in range(N_RATINGS)
        ],
        batch_size=1000,
    )
    for label, url in (
        ("ratings page (10k ratings)", "/ratings/"),
        ("ratings API by department (10k ratings)", "/api/v1/ratings/statistics/"),
        ("ratings API by item (10k ratings)", "/api/v1/ratings/statistics/?by=item"),
    ):
        t = time_view(c, url, n=30)
        report.line(f"{label} median", t.median_ms, "ms")
        report.line(f"{label} p95", t.p95_ms, "ms")
        report.line(f"{label} queries", t.queries, "per request")
        report.line(f"{label} / bare view", t.ratio(baseline), "x")
