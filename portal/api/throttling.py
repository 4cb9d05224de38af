"""The API's throttles: atomic counters (``portal.ratelimit``) keyed by the real client address
(``portal.net.client_ip``) or, for a system client, by its key. Rates are the
``DEFAULT_THROTTLE_RATES`` of REST_FRAMEWORK."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from portal import ratelimit
from portal.accounts.permissions import system_client
from portal.net import client_ip


class RateThrottle(BaseThrottle):
    scope = ""
    #: Overrides ``DEFAULT_THROTTLE_RATES`` when set (tests set a small rate here).
    rates: dict[str, str] | None = None

    def __init__(self) -> None:
        self._wait: int | None = None

    def get_scope(self, view) -> str:
        return self.scope

    def get_ident(self, request) -> str:
        return client_ip(request)

    def applies(self, request) -> bool:
        return True

    def allow_request(self, request, view) -> bool:
        scope = self.get_scope(view)
        if not scope or not self.applies(request):
            return True
        rate = (self.rates or api_settings.DEFAULT_THROTTLE_RATES).get(scope)
        if rate is None:
            return True
        limit, window = SimpleRateThrottle.parse_rate(None, rate)
        self._wait = ratelimit.hit(scope, self.get_ident(request), limit, window)
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait


class AnonThrottle(RateThrottle):
    """Anonymous callers, by address (``anon`` rate)."""

    scope = "anon"

    def applies(self, request) -> bool:
        return not request.user.is_authenticated and system_client(request) is None


class SystemClientThrottle(RateThrottle):
    """System clients, by key (``system`` rate)."""

    scope = "system"

    def applies(self, request) -> bool:
        return system_client(request) is not None

    def get_ident(self, request) -> str:
        return system_client(request).prefix


class ScopedThrottle(RateThrottle):
    """The view's ``throttle_scope``, by address, whoever calls (e.g. ``otp``)."""

    def get_scope(self, view) -> str:
        return getattr(view, "throttle_scope", "") or ""
