from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import OneTimeCode, User
from .roles import sync_user_groups


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_user_groups(form.instance)


@admin.register(OneTimeCode)
class OneTimeCodeAdmin(admin.ModelAdmin):
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
