"""How the API knows who calls it.

- People: the session (pages' cookie, with CSRF) and, outside production, HTTP Basic auth
  (``API_BASIC_AUTH``); both sign-ins go through django-axes, which locks an account and a client
  address out after repeated failures (``AXES_*`` settings; ADR 0080).
- Systems: ``Authorization: Api-Key <key>`` names a :class:`~portal.accounts.models.SystemClient`.
  ``request.user`` stays anonymous, so no user endpoint accepts a system; ``request.auth`` is the
  client, and :class:`~portal.accounts.permissions.HasScope` checks what it may do.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import SystemClient

KEYWORD = "Api-Key"
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


class SystemClientAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Api-Key header."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Malformed Api-Key header.")) from None
        if len(key) > 200:
            raise exceptions.AuthenticationFailed(_("Invalid API key."))
        try:
            client = SystemClient.objects.get_from_key(key)
        except SystemClient.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key.")) from None
        if client.has_expired:
            raise exceptions.AuthenticationFailed(_("This API key has expired."))
        _touch(client)
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser(), client

    def authenticate_header(self, request) -> str:
        return KEYWORD


def _touch(client: SystemClient) -> None:
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > LAST_USED_RESOLUTION:
        SystemClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now


class LockoutBasicAuthentication(authentication.BasicAuthentication):
    """HTTP Basic auth whose failures django-axes counts; a locked-out account or client gets
    429 with the time to wait, not another 401."""

    def authenticate_credentials(self, userid, password, request=None):
        try:
            return super().authenticate_credentials(userid, password, request)
        except exceptions.AuthenticationFailed:
            if request is not None and getattr(request, "axes_locked_out", False):
                from django.conf import settings

                cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
                wait = int(cool_off.total_seconds()) if cool_off else None
                raise exceptions.Throttled(
                    wait=wait,
                    detail=gettext(
                        "Too many failed sign-ins for this account or from this address; "
                        "try again later."
                    ),
                ) from None
            raise
