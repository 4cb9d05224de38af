"""Sign-in through the province's unified identity platform (山东省统一身份认证平台) over OpenID
Connect, with mozilla-django-oidc (ADR 0110).

Configured by environment (``settings.UNIFIED_IDENTITY``): the issuer (its endpoints found by
discovery) or the endpoints one by one, the client id and secret, the scopes, the claim names and
the platform's ``acr`` values. Off when unset: no button, the views answer 404.

The platform's assurance level of a sign-in (``acr``: password, sms, face) is kept on the session
(:func:`session_level`); a page that needs a higher one sends the visitor back to the platform with
``acr_values`` and ``prompt=login`` (a step-up, :func:`sign_in_url`)."""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)

SESSION_KEY = "unified_identity"
# Assurance levels, lowest first: a level meets every level before it.
LEVELS = ("password", "sms", "face")
_ENDPOINTS = {
    "AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "TOKEN_ENDPOINT": "token_endpoint",
    "USERINFO_ENDPOINT": "userinfo_endpoint",
    "JWKS_ENDPOINT": "jwks_uri",
}


def raw_config() -> dict[str, Any]:
    return dict(getattr(settings, "UNIFIED_IDENTITY", {}) or {})


def is_enabled() -> bool:
    conf = raw_config()
    return bool(
        conf.get("CLIENT_ID")
        and (
            conf.get("ISSUER")
            or (conf.get("AUTHORIZATION_ENDPOINT") and conf.get("TOKEN_ENDPOINT"))
        )
    )


def config() -> dict[str, Any]:
    """The settings with every endpoint filled in: those not set come from the issuer's discovery
    document (fetched once, kept in the cache for an hour)."""
    conf = raw_config()
    missing = [name for name in _ENDPOINTS if not conf.get(name)]
    if missing and conf.get("ISSUER"):
        discovered = _discover(conf["ISSUER"], int(conf.get("TIMEOUT") or 10))
        for name in missing:
            conf[name] = discovered.get(_ENDPOINTS[name], "")
    return conf


def _discover(issuer: str, timeout: int) -> dict[str, Any]:
    key = f"unified-identity:discovery:{issuer}"
    found = cache.get(key)
    if found is None:
        response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=timeout)
        response.raise_for_status()
        found = response.json()
        cache.set(key, found, 3600)
    return found


def level_of(acr: str) -> str:
    """The portal's level name for the platform's ``acr`` value ('' when unknown)."""
    for level, value in (raw_config().get("ACR") or {}).items():
        if value and value == acr:
            return level
    return ""


def acr_value(level: str) -> str:
    return str((raw_config().get("ACR") or {}).get(level, level))


def meets(level: str, required: str) -> bool:
    if required not in LEVELS:
        return True
    return level in LEVELS and LEVELS.index(level) >= LEVELS.index(required)


def session_level(request: HttpRequest) -> str:
    """The assurance level of this session's platform sign-in ('' if the visitor did not sign in
    through the platform, or signed out since)."""
    state = request.session.get(SESSION_KEY) or {}
    user = getattr(request, "user", None)
    if not state or user is None or not user.is_authenticated or state.get("user") != user.pk:
        return ""
    return str(state.get("level", ""))


def sign_in_url(next_url: str = "", level: str = "") -> str:
    """The portal's start of a platform sign-in, back to ``next_url`` afterwards; ``level`` asks
    the platform for that assurance level (a step-up when the session has a lower one)."""
    query = {}
    if next_url:
        query["next"] = next_url
    if level in LEVELS:
        query["level"] = level
    url = reverse("accounts:unified_start")
    return f"{url}?{urlencode(query)}" if query else url


class _ConfiguredSettings:
    """mozilla-django-oidc reads its OIDC_* settings by name; these come from
    ``UNIFIED_IDENTITY`` instead (so the endpoints may come from discovery)."""

    _MAP = {
        "OIDC_RP_CLIENT_ID": "CLIENT_ID",
        "OIDC_RP_CLIENT_SECRET": "CLIENT_SECRET",
        "OIDC_RP_SCOPES": "SCOPES",
        "OIDC_RP_SIGN_ALGO": "SIGN_ALGO",
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "AUTHORIZATION_ENDPOINT",
        "OIDC_OP_TOKEN_ENDPOINT": "TOKEN_ENDPOINT",
        "OIDC_OP_USER_ENDPOINT": "USERINFO_ENDPOINT",
        "OIDC_OP_JWKS_ENDPOINT": "JWKS_ENDPOINT",
        "OIDC_TIMEOUT": "TIMEOUT",
    }
    _FIXED = {
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:unified_callback",
        "OIDC_USE_PKCE": True,
        "OIDC_USE_NONCE": True,
        "OIDC_CREATE_USER": True,
        "OIDC_STORE_ID_TOKEN": False,
        "OIDC_STORE_ACCESS_TOKEN": False,
        "LOGIN_REDIRECT_URL_FAILURE": "accounts:login",
    }

    @classmethod
    def get(cls, attr: str, *default: Any) -> Any:
        if attr in cls._MAP:
            value = config().get(cls._MAP[attr])
            if value not in (None, ""):
                return value
            return default[0] if default else None
        if attr in cls._FIXED:
            return cls._FIXED[attr]
        return getattr(settings, attr, *default) if default else getattr(settings, attr)


class UnifiedIdentityBackend(OIDCAuthenticationBackend):
    """Claims to account: found by the platform's subject; else linked to the account with the
    same verified resident ID; else a new citizen account (``services.sign_in_unified``)."""

    get_settings = staticmethod(_ConfiguredSettings.get)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = None  # set lazily: the backend is built for every authenticate() call
        self._payload: dict[str, Any] = {}

    def authenticate(self, request, **kwargs):
        if request is None or "code" not in request.GET or not is_enabled():
            return None
        super().__init__()
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        if kwargs.get("nonce") is not None:  # the ID token, not a signed userinfo answer
            self._payload = payload
        return payload

    def verify_claims(self, claims):
        names = raw_config()["CLAIMS"]
        return bool(claims.get(names["subject"]))

    def get_or_create_user(self, access_token, id_token, payload):
        from . import services

        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            raise SuspiciousOperation("the platform's answer has no subject")
        names = raw_config()["CLAIMS"]
        acr = str(self._payload.get("acr", ""))
        try:
            user = services.sign_in_unified(
                issuer=str(self._payload.get("iss") or raw_config().get("ISSUER") or ""),
                subject=str(claims[names["subject"]]),
                name=str(claims.get(names["name"]) or ""),
                resident_id=str(claims.get(names["resident_id"]) or ""),
                mobile=str(claims.get(names["mobile"]) or ""),
                acr=acr,
            )
        except ValidationError as exc:
            # a claim the portal cannot accept (a resident ID with a wrong check character):
            # no account, and the callback says the sign-in did not succeed
            raise SuspiciousOperation(f"unusable claims: {exc.messages}") from exc
        user.unified_level = level_of(acr)  # read by the callback view
        return user

    def get_user(self, user_id):
        from .selectors import signed_in_user

        return signed_in_user(user_id)  # with their work bindings, as password sign-in


class StartView(OIDCAuthenticationRequestView):
    """Off to the platform; ``?level=face`` asks for that assurance level and a fresh sign-in."""

    get_settings = staticmethod(_ConfiguredSettings.get)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    def get(self, request):
        if not is_enabled():
            raise Http404
        try:
            conf = config()
        except requests.RequestException:
            logger.exception("unified identity: discovery failed")
            messages.error(
                request, _("The unified identity platform cannot be reached. Try again later.")
            )
            return HttpResponseRedirect(reverse("accounts:login"))
        self.OIDC_OP_AUTH_ENDPOINT = conf["AUTHORIZATION_ENDPOINT"]
        self.OIDC_RP_CLIENT_ID = conf["CLIENT_ID"]
        return super().get(request)

    def get_extra_params(self, request):
        params = {"ui_locales": "zh-CN" if request.LANGUAGE_CODE.startswith("zh") else "en"}
        level = request.GET.get("level", "")
        if level in LEVELS:
            params["acr_values"] = acr_value(level)
            current = session_level(request)
            if current and not meets(current, level):
                # a step-up: the platform must check again, not reuse its session's level
                params["prompt"] = "login"
        else:
            # any level will do, but the ID token must say which one it was (a platform names
            # the acr only when asked for acr_values)
            params["acr_values"] = " ".join(acr_value(name) for name in LEVELS)
        return params


class CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(_ConfiguredSettings.get)

    def get(self, request):
        if not is_enabled():
            raise Http404
        return super().get(request)

    def login_success(self):
        response = super().login_success()
        level = getattr(self.user, "unified_level", "")
        self.request.session[SESSION_KEY] = {
            "user": self.user.pk,
            "level": level,
            "at": time.time(),
        }
        return response

    def login_failure(self):
        messages.error(
            self.request,
            _("Signing in through the unified identity platform did not succeed. Try again."),
        )
        return super().login_failure()
