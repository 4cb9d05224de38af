from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from portal.access import is_superuser, scopes
from portal.access.admin import ScopedAdmin

from . import services
from .models import OneTimeCode, SystemClient, User
from .roles import sync_user_groups

# The library's own key model is not used: system clients are SystemClient (with scopes).
admin.site.unregister(APIKey)

SUPERUSER_ONLY_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(ScopedAdmin, BaseUserAdmin):
    """Administrators keep accounts; the policy (accounts.access) keeps them off superusers'
    accounts and their own, and only a superuser grants superuser rights or raw permissions."""

    list_display = (
        "username",
        "real_name",
        "mobile",
        "role",
        "department",
        "is_staff",
        "is_active",
        "last_login",
    )
    list_filter = (
        "role",
        ("department", admin.RelatedOnlyFieldListFilter),
        "is_staff",
        "is_active",
        "groups",
    )
    search_fields = ("username", "real_name", "mobile", "email", "resident_id")
    list_select_related = ("department",)
    raw_id_fields = ("department",)
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal information"),
            {"fields": ("real_name", "mobile", "resident_id", "email", "wechat_openid")},
        ),
        (_("Role"), {"fields": ("role", "department")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "mobile", "role", "department", "password1", "password2"),
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_superuser(request.user):
            fields += [f for f in SUPERUSER_ONLY_FIELDS if f not in fields]
        return fields

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if {"role", "department"} & set(form.changed_data):
            # The role decides admin access and the group: one service sets them together.
            services.assign_role(obj, obj.role, obj.department)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_user_groups(form.instance)


class SystemClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("What this system may do through the API."),
    )

    class Meta:
        model = SystemClient
        fields = ["name", "contact", "scopes", "expiry_date", "revoked"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(s.name, f"{s.name} — {s.description}") for s in scopes()]


@admin.register(SystemClient)
class SystemClientAdmin(ScopedAdmin, APIKeyModelAdmin):
    """Keys of other systems. The key is shown once, when the client is added; revoke a key to
    stop it at once (a revoked client cannot be brought back: add a new one)."""

    form = SystemClientForm
    list_display = (
        "name",
        "prefix",
        "scope_list",
        "created",
        "expiry_date",
        "revoked",
        "last_used_at",
    )
    list_filter = ("revoked", "created")
    search_fields = ("name", "prefix", "contact")
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        fields = ["prefix", "created", "last_used_at"]
        if obj is not None and obj.revoked:
            fields += ["name", "contact", "scopes", "expiry_date", "revoked"]
        return fields

    @admin.display(description=_("scopes"))
    def scope_list(self, obj: SystemClient) -> str:
        return ", ".join(obj.scopes or []) or "—"

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        count = services.revoke_system_clients(queryset)
        self.message_user(request, _("%d key(s) revoked.") % count, messages.SUCCESS)


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(ScopedAdmin):
    """Codes are stored hashed: the admin shows when and how they were used, never the code."""

    list_display = ("mobile", "purpose", "created_at", "expires_at", "attempts", "used_at", "dead")
    list_filter = ("purpose", "dead", "created_at")
    search_fields = ("mobile",)
    exclude = ("code_hash",)
    readonly_fields = (
        "mobile",
        "purpose",
        "created_at",
        "expires_at",
        "attempts",
        "used_at",
        "dead",
    )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
