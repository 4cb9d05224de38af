"""The portal's user. Citizens and company handlers sign in with a mobile number; staff belong to a
department. Outlet managers and legal-aid staff are bound to their outlets and centres by the
domain apps (``outlets``, ``legal_aid``), which own those bindings."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey
from simple_history.models import HistoricalRecords

from portal.validators import validate_mobile, validate_resident_id


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    COMPANY_HANDLER = "company_handler", _("Company handler")
    DEPARTMENT_STAFF = "department_staff", _("Department staff")
    OUTLET_MANAGER = "outlet_manager", _("Outlet manager")
    LEGAL_AID_STAFF = "legal_aid_staff", _("Legal-aid staff")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    role = models.CharField(
        _("role"), max_length=32, choices=Role.choices, default=Role.CITIZEN, db_index=True
    )
    mobile = models.CharField(
        _("mobile number"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_mobile],
    )
    real_name = models.CharField(_("real name"), max_length=64, blank=True)
    resident_id = models.CharField(
        _("resident identity number"),
        max_length=18,
        blank=True,
        validators=[validate_resident_id],
    )
    # When the resident ID was vouched for by a source the portal trusts (the province's unified
    # identity platform, ADR 0110); a number typed in the profile is not verified, and only a
    # verified one links a first sign-in through the platform to this account.
    resident_id_verified_at = models.DateTimeField(
        _("resident ID verified at"), null=True, blank=True, editable=False
    )
    wechat_openid = models.CharField(_("WeChat id"), max_length=64, blank=True)
    department = models.ForeignKey(
        "catalogue.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )

    objects = UserManager()
    # Who gave whom which role and department, and when (not the password, not each sign-in).
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.real_name or self.username

    def save(self, *args, **kwargs) -> None:
        if set(kwargs.get("update_fields") or ()) <= {"last_login", "password"} and kwargs.get(
            "update_fields"
        ):
            # A sign-in or a new password hash: nothing the history keeps.
            self.skip_history_when_saving = True
            try:
                super().save(*args, **kwargs)
            finally:
                del self.skip_history_when_saving
            return
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.real_name or self.get_full_name() or self.username

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR


class UnifiedIdentity(models.Model):
    """A portal account's identity at the province's unified identity platform (OpenID Connect,
    ADR 0110): the platform's subject, found again on every later sign-in, and the assurance
    level (``acr``) of the last one."""

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="unified_identities",
    )
    issuer = models.CharField(_("issuer"), max_length=200)
    subject = models.CharField(_("subject at the platform"), max_length=255)
    last_acr = models.CharField(_("last assurance level"), max_length=64, blank=True)
    linked_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("unified identity")
        verbose_name_plural = _("unified identities")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "subject"], name="unified_identity_issuer_subject_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject}"


class CodePurpose(models.TextChoices):
    LOGIN = "login", _("Sign in")
    CHANGE_MOBILE = "change_mobile", _("Change mobile number")
    CONFIRM = "confirm", _("Confirm an action")


class OneTimeCode(models.Model):
    """A six-digit code sent by SMS. Only a keyed hash of the code is stored; a code expires,
    is used at most once and dies after too many wrong attempts."""

    mobile = models.CharField(_("mobile number"), max_length=11, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=32, default=CodePurpose.LOGIN)
    code_hash = models.CharField(_("code hash"), max_length=128)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    dead = models.BooleanField(
        _("dead"), default=False, help_text=_("Replaced by a newer code or too many attempts.")
    )

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["mobile", "purpose", "-created_at"], name="otp_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.mobile} {self.purpose} {self.created_at:%Y-%m-%d %H:%M}"


OTP_SETTINGS_DEFAULTS = {
    "LENGTH": 6,
    "TTL_SECONDS": 300,
    "RESEND_SECONDS": 60,
    "PER_DAY": 10,
    "MAX_ATTEMPTS": 5,
    "PER_IP_PER_HOUR": 20,
}


def otp_setting(name: str) -> int:
    return int(getattr(settings, "OTP", {}).get(name, OTP_SETTINGS_DEFAULTS[name]))


class SystemClient(AbstractAPIKey):
    """Another government system that calls the API with its own key, never as a staff user
    (the market-regulation register feed, the courier, the notification gateway...). The key is
    shown once when made and stored only as a hash; a revoked or expired key stops working at
    once. ``scopes`` names what the system may do (``portal.access.scopes()`` lists them)."""

    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("Who runs the system, and how to reach them."),
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["hashed_key", "last_used_at"])

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("system client")
        verbose_name_plural = _("system clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from portal.access import check_scopes

        if not isinstance(self.scopes, list) or not all(isinstance(s, str) for s in self.scopes):
            raise ValidationError({"scopes": _("A list of scope names.")})
        unknown = check_scopes(self.scopes)
        if unknown:
            raise ValidationError(
                {"scopes": _("Unknown scopes: %(names)s.") % {"names": ", ".join(unknown)}}
            )

    def has_scope(self, scope: str) -> bool:
        return not self.revoked and not self.has_expired and scope in (self.scopes or [])
