"""The portal's own pages pass its Content-Security-Policy (issue 11): a crawl from the home page,
as a visitor and as a superuser (the staff pages and the Django admin), follows every link of the
portal; the autouse ``_no_csp_violations`` fixture fails the test on any refusal the browser
reports, and each answer carries the policy."""

from __future__ import annotations

from urllib.parse import urldefrag, urlsplit

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

SKIP = (
    "/i18n/",
    "/accounts/logout",
    "/admin/logout",
    "/static/",
    "/media/",
    ".pdf",
    ".xlsx",
    ".csv",
    "/export",
    "/download",
    "/api/v1/",
    "/api/schema",
)


def _crawl(page, start: str, limit: int) -> list[str]:
    origin = urlsplit(start).netloc
    queue, seen = [start], set()
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is not None and response.status < 500, (
            f"{url}: {response and response.status}"
        )
        policy = response.header_value("content-security-policy") or ""
        assert "default-src 'self'" in policy, f"{url} has no CSP"
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.netloc != origin or any(s in parts.path for s in SKIP) or parts.query:
                continue
            if href not in seen:
                queue.append(href)
    return sorted(seen)


def test_public_pages_pass_the_csp(page, live_server):
    seen = _crawl(page, live_server.url + "/", limit=60)
    assert len(seen) > 10
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector(".swagger-ui .info")


def test_staff_pages_and_admin_pass_the_csp(page, live_server, django_user_model, client):
    user = django_user_model.objects.create_superuser("csp-admin", password="csp-admin-pass-1")
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    seen = _crawl(page, live_server.url + "/admin/", limit=80)
    assert any("/admin/approvals/case/" in url for url in seen)
