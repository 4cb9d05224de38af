"""Accounts: one-time codes by SMS, sign-in with a code, roles.

One-time codes: six digits, stored as a keyed hash (HMAC with SECRET_KEY), valid five minutes,
used once. A mobile number gets at most one code a minute and ten a (local) day; a code takes at
most five attempts, then it is dead and a new one is needed. Every refusal is a ValidationError
whose message says what to do next.
"""

from __future__ import annotations

import datetime
import secrets

from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal import ratelimit
from portal.notifications import services as notifications
from portal.validators import validate_mobile, validate_resident_id

from .models import CodePurpose, OneTimeCode, Role, SystemClient, User, otp_setting
from .roles import sync_user_groups

STAFF_ROLES = {
    Role.DEPARTMENT_STAFF,
    Role.OUTLET_MANAGER,
    Role.LEGAL_AID_STAFF,
    Role.ADMINISTRATOR,
}


def _hash(mobile: str, purpose: str, code: str) -> str:
    return salted_hmac("portal.accounts.otp", f"{mobile}:{purpose}:{code}").hexdigest()


def _attempt_cache_key(code_id: int) -> str:
    return f"otp-attempts:{code_id}"


def _check_purpose(purpose: str) -> None:
    if purpose not in CodePurpose.values:
        raise ValidationError(_("Unknown purpose for a one-time code."), code="otp_purpose")


def issue_code(mobile: str, purpose: str) -> None:
    """Send a new one-time code to ``mobile`` by SMS (after commit).

    Raises ValidationError when the number is not a mobile number, when a code was sent less
    than a minute ago, or when the day's allowance of codes for this number is used up."""
    validate_mobile(mobile)
    _check_purpose(purpose)
    now = timezone.now()
    resend = otp_setting("RESEND_SECONDS")
    # A cross-process guard for two requests in the same instant (the database check below
    # cannot lock rows that do not exist yet).
    if not caches[ratelimit.CACHE_ALIAS].add(f"otp-issue:{mobile}", 1, timeout=max(resend, 1)):
        raise _too_soon(resend)
    with transaction.atomic():
        recent = list(
            OneTimeCode.objects.select_for_update()
            .filter(mobile=mobile, created_at__gte=_start_of_day(now))
            .order_by("-created_at")
            .values_list("created_at", flat=True)
        )
        if recent and (now - recent[0]).total_seconds() < resend:
            wait = resend - int((now - recent[0]).total_seconds())
            raise _too_soon(wait)
        if len(recent) >= otp_setting("PER_DAY"):
            raise ValidationError(
                _(
                    "Too many codes were requested for this number today. "
                    "Try again tomorrow or sign in with your password."
                ),
                code="otp_daily_limit",
            )
        length = otp_setting("LENGTH")
        code = f"{secrets.randbelow(10**length):0{length}d}"
        OneTimeCode.objects.filter(
            mobile=mobile, purpose=purpose, used_at__isnull=True, dead=False
        ).update(dead=True)
        issued = OneTimeCode.objects.create(
            mobile=mobile,
            purpose=purpose,
            code_hash=_hash(mobile, purpose, code),
            expires_at=now + datetime.timedelta(seconds=otp_setting("TTL_SECONDS")),
        )
        minutes = otp_setting("TTL_SECONDS") // 60
        notifications.send(
            channel="sms",
            address=mobile,
            subject=_("Verification code"),
            body=_(
                "Your Qingdao government services code is %(code)s. It is valid for "
                "%(minutes)d minutes. Never tell it to anyone."
            )
            % {"code": code, "minutes": minutes},
            key=f"one-time-code:{issued.pk}:sms",
            sensitive=True,
        )


def _too_soon(seconds: int) -> ValidationError:
    seconds = max(int(seconds), 1)
    return ValidationError(
        ngettext(
            "A code was sent a moment ago. You can ask for a new one in %(seconds)d second.",
            "A code was sent a moment ago. You can ask for a new one in %(seconds)d seconds.",
            seconds,
        )
        % {"seconds": seconds},
        code="otp_too_soon",
    )


def _start_of_day(now: datetime.datetime) -> datetime.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def verify_code(mobile: str, purpose: str, code: str) -> bool:
    """Check ``code`` for ``mobile`` and ``purpose``; True when it is right (the code is then
    used up). Raises ValidationError, saying why, for a wrong, expired, used or dead code.

    Attempts are counted in the database and, as a second counter that a rolled-back caller
    cannot undo, in the cache."""
    _check_purpose(purpose)
    code = (code or "").strip()
    now = timezone.now()
    limit = otp_setting("MAX_ATTEMPTS")
    # Decide inside the transaction, raise after it: the attempt just counted must be saved.
    with transaction.atomic():
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(mobile=mobile, purpose=purpose, used_at__isnull=True, dead=False)
            .order_by("-created_at")
            .first()
        )
        error = _check_attempt(otp, mobile, purpose, code, now, limit)
    if error is not None:
        raise error
    return True


def _check_attempt(
    otp: OneTimeCode | None, mobile: str, purpose: str, code: str, now, limit: int
) -> ValidationError | None:
    if otp is None:
        return ValidationError(
            _("There is no valid code for this number. Ask for a new code."),
            code="otp_missing",
        )
    if otp.expires_at <= now:
        otp.dead = True
        otp.save(update_fields=["dead"])
        return ValidationError(_("This code has expired. Ask for a new code."), code="otp_expired")
    cache = caches[ratelimit.CACHE_ALIAS]
    cache_key = _attempt_cache_key(otp.pk)
    cache.add(cache_key, 0, timeout=otp_setting("TTL_SECONDS") + 60)
    try:
        cached_attempts = cache.incr(cache_key)
    except ValueError:
        cached_attempts = 1
    otp.attempts += 1
    attempts = max(otp.attempts, cached_attempts)
    if attempts > limit:
        otp.dead = True
        otp.save(update_fields=["attempts", "dead"])
        return _too_many_attempts()
    if constant_time_compare(otp.code_hash, _hash(mobile, purpose, code)):
        otp.used_at = now
        otp.save(update_fields=["attempts", "used_at"])
        return None
    left = limit - attempts
    otp.dead = left <= 0
    otp.save(update_fields=["attempts", "dead"])
    if left <= 0:
        return _too_many_attempts()
    return ValidationError(
        ngettext(
            "The code is wrong. You have %(left)d attempt left.",
            "The code is wrong. You have %(left)d attempts left.",
            left,
        )
        % {"left": left},
        code="otp_wrong",
    )


def _too_many_attempts() -> ValidationError:
    return ValidationError(
        _("Too many wrong attempts: this code no longer works. Ask for a new code."),
        code="otp_attempts",
    )


def sign_in_with_code(mobile: str, code: str) -> User:
    """Verify a sign-in code and return the account for ``mobile``; a citizen account is
    created on first use. Raises ValidationError when the code is refused or the account is
    disabled."""
    verify_code(mobile, CodePurpose.LOGIN, code)
    user = User.objects.filter(mobile=mobile).first()
    if user is None:
        try:
            with transaction.atomic():
                user = User(username=_free_username(mobile), mobile=mobile, role=Role.CITIZEN)
                user.set_unusable_password()
                user.save()
                sync_user_groups(user)
        except IntegrityError:
            user = User.objects.get(mobile=mobile)
    if not user.is_active:
        raise ValidationError(_("This account is disabled."), code="inactive")
    return user


def _free_username(mobile: str) -> str:
    if not User.objects.filter(username=mobile).exists():
        return mobile
    return f"m{mobile}-{secrets.token_hex(3)}"


def find_user_for_password_login(identifier: str) -> str:
    """The username to authenticate for ``identifier`` (a username or a mobile number)."""
    identifier = (identifier or "").strip()
    if identifier.isdigit() and len(identifier) == 11:
        username = User.objects.filter(mobile=identifier).values_list("username", flat=True).first()
        if username:
            return username
    return identifier


@transaction.atomic
def update_profile(user: User, *, real_name: str, resident_id: str, email: str = "") -> User:
    fields = ["real_name", "resident_id", "email"]
    if resident_id != user.resident_id and user.resident_id_verified_at is not None:
        # a number typed by hand is no longer the one the platform vouched for
        user.resident_id_verified_at = None
        fields.append("resident_id_verified_at")
    user.real_name = real_name
    user.resident_id = resident_id
    user.email = email
    user.full_clean(exclude=["password", "username", "mobile", "department"])
    user.save(update_fields=fields)
    return user


@transaction.atomic
def sign_in_unified(
    *, issuer: str, subject: str, name: str, resident_id: str, mobile: str, acr: str
) -> User:
    """The account of a person the province's unified identity platform signed in (ADR 0110):

    1. the account already linked to the platform's ``subject``;
    2. else the account whose resident ID is the same and VERIFIED (never one merely typed in a
       profile: that would let anyone claim another person's sign-ins), linked now;
    3. else a new citizen account, linked now.

    The platform vouches for the name, the resident ID and the mobile number: they are written
    to the account (the mobile only when no other account holds it). Raises ValidationError for
    a resident ID with a wrong check character."""
    from .models import UnifiedIdentity

    resident_id = (resident_id or "").strip().upper()
    if resident_id:
        validate_resident_id(resident_id)
    mobile = (mobile or "").strip().removeprefix("+86")
    if mobile:
        try:
            validate_mobile(mobile)
        except ValidationError:
            mobile = ""
    now = timezone.now()
    link = (
        UnifiedIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=issuer, subject=subject)
        .first()
    )
    user = link.user if link else None
    if user is None and resident_id:
        user = (
            User.objects.select_for_update()
            .filter(resident_id=resident_id, resident_id_verified_at__isnull=False)
            .order_by("pk")
            .first()
        )
    if user is None:
        user = User(username=_free_username(f"uid_{subject}"[:120]), role=Role.CITIZEN)
        user.set_unusable_password()
        user.save()
        sync_user_groups(user)
    changed = []
    if name and user.real_name != name:
        user.real_name = name
        changed.append("real_name")
    if resident_id and (user.resident_id != resident_id or not user.resident_id_verified_at):
        user.resident_id = resident_id
        user.resident_id_verified_at = now
        changed += ["resident_id", "resident_id_verified_at"]
    if mobile and user.mobile != mobile and not User.objects.filter(mobile=mobile).exists():
        user.mobile = mobile
        changed.append("mobile")
    if changed:
        user.save(update_fields=changed)
    if link is None:
        link = UnifiedIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    UnifiedIdentity.objects.filter(pk=link.pk).update(last_acr=acr[:64], last_sign_in_at=now)
    return user


@transaction.atomic
def assign_role(user: User, role: str, department=None) -> User:
    """Give ``user`` a role (and a department for department staff), with the matching group
    and admin access."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."), code="role")
    if role == Role.DEPARTMENT_STAFF and department is None:
        raise ValidationError(
            {"department": _("Department staff must belong to a department.")}, code="department"
        )
    user.role = role
    user.department = department
    user.is_staff = role in STAFF_ROLES or user.is_superuser
    user.save(update_fields=["role", "department", "is_staff"])
    sync_user_groups(user)
    return user


def check_ip_quota(ip: str | None, *, limit: int | None = None, window: int = 3600) -> None:
    """At most ``limit`` (``OTP["PER_IP_PER_HOUR"]``, 20) code requests per client address per
    ``window`` seconds (the sign-in page; the API uses the ``otp`` throttle rate). Raises
    ValidationError when exceeded."""
    if not ip:
        return
    if limit is None:
        limit = otp_setting("PER_IP_PER_HOUR")
    if ratelimit.hit("otp-ip", ip, limit, window) is not None:
        raise ValidationError(
            _("Too many codes were requested from this network. Try again later."),
            code="otp_ip_limit",
        )


def purge_codes(days: int = 2) -> int:
    """Delete one-time codes older than ``days`` (only today's count towards the daily limit)."""
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted, _ = OneTimeCode.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def create_system_client(
    name: str, scopes: list[str], *, contact: str = "", expiry_date=None
) -> tuple[SystemClient, str]:
    """A new system client and its key (shown to the caller once, stored only hashed)."""
    client = SystemClient(name=name, scopes=list(scopes), contact=contact, expiry_date=expiry_date)
    client.full_clean(exclude=["id", "prefix", "hashed_key"])
    key = SystemClient.objects.assign_key(client)
    client.save()
    return client, key


def revoke_system_clients(queryset) -> int:
    """Revoke keys at once; the history of SystemClient records who did."""
    count = 0
    for client in queryset.filter(revoked=False):
        client.revoked = True
        client.save(update_fields=["revoked"])
        count += 1
    return count
