"""Ratings and follow-ups in the admin, on ``portal.ratings.access``: department staff see only
their department's ratings and follow-ups and resolve only those (through
``services.resolve_follow_up``); ratings themselves are read-only for everybody."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.access.admin import ScopedAdmin
from portal.workflow import Refused

from . import services
from .models import FollowUp, FollowUpStatus, Rating


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        overdue = {"status": FollowUpStatus.OPEN, "due_date__lt": timezone.localdate()}
        if self.value() == "yes":
            return queryset.filter(**overdue)
        if self.value() == "no":
            return queryset.exclude(**overdue)
        return queryset


@admin.register(Rating)
class RatingAdmin(ScopedAdmin):
    list_display = ("created_at", "score", "department", "item", "user", "short_comment")
    list_filter = ("score", ("department", admin.RelatedOnlyFieldListFilter), "created_at")
    search_fields = ("comment", "item__name", "item__code", "department__name")
    list_select_related = ("department", "item", "user")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Rating._meta.fields]

    @admin.display(description=_("comment"))
    def short_comment(self, obj):
        return (obj.comment[:40] + "…") if len(obj.comment) > 40 else obj.comment

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FollowUp)
class FollowUpAdmin(ScopedAdmin):
    list_display = (
        "id",
        "department",
        "score",
        "due_date",
        "overdue_flag",
        "status",
        "resolved_by",
        "resolved_at",
    )
    list_filter = ("status", OverdueFilter, ("department", admin.RelatedOnlyFieldListFilter))
    search_fields = ("rating__comment", "resolution_note", "department__name")
    list_select_related = ("department", "rating", "resolved_by")
    date_hierarchy = "due_date"
    fields = (
        "department",
        "score",
        "comment",
        "due_date",
        "status",
        "resolution_note",
        "resolved_by",
        "resolved_at",
    )

    def get_readonly_fields(self, request, obj=None):
        fixed = [
            "department",
            "score",
            "comment",
            "due_date",
            "status",
            "resolved_by",
            "resolved_at",
        ]
        if obj is not None and obj.status != FollowUpStatus.OPEN:
            fixed.append("resolution_note")
        return fixed

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("score"))
    def score(self, obj):
        return obj.rating.score

    @admin.display(description=_("comment"))
    def comment(self, obj):
        return obj.rating.comment

    @admin.display(description=_("overdue"), boolean=False)
    def overdue_flag(self, obj):
        if obj.is_overdue:
            return format_html('<strong style="color:#b3261e">{}</strong>', _("Overdue"))
        return "—"

    def save_model(self, request, obj, form, change):
        note = form.cleaned_data.get("resolution_note", "")
        if not change or "resolution_note" not in form.changed_data or not note.strip():
            return
        try:
            services.resolve_follow_up(obj.pk, user=request.user, note=note)
        except Refused as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
        else:
            messages.success(request, _("The follow-up is resolved."))
