"""The client's address, the same for throttles, lockouts and logs.

Behind ``TRUSTED_PROXY_COUNT`` proxies (0 when the portal is reached directly), each proxy
appends the address it received the request from to ``X-Forwarded-For``, so the client is the
entry that many places from the right; anything further left was written by the client and is
not believed. With no trusted proxy the header is ignored altogether."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if part.strip()
    ]
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
