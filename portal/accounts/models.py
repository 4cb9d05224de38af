"""The portal's user. Citizens and company handlers sign in with a mobile number; staff belong to a
department. Outlet managers and legal-aid staff are bound to their outlets and centres by the
domain apps (``outlets``, ``legal_aid``), which own those bindings."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

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

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.get_full_name() or self.username
