from django.contrib import admin

from portal.access import Policy, register
from portal.access.admin import ScopedAdmin
from portal.models import CalendarDay, PersonalDataView


@admin.register(CalendarDay)
class CalendarDayAdmin(ScopedAdmin):
    list_display = ("date", "is_working_day", "name")
    list_filter = ("is_working_day",)
    search_fields = ("name",)
    date_hierarchy = "date"


@register
class PersonalDataViewPolicy(Policy):
    """The log of full views of personal data: administrators read it; nobody writes it by hand
    (it is a log, a workflow record as far as the admin goes)."""

    model = PersonalDataView
    workflow_record = True

    def can_add(self, user) -> bool:
        return False

    def can_delete(self, user, obj=None) -> bool:
        return False


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ScopedAdmin):
    list_display = ("at", "user", "content_type", "label", "channel")
    list_filter = ("channel", "content_type")
    date_hierarchy = "at"
    search_fields = ("user__username", "object_id")
    readonly_fields = ("at", "user", "content_type", "object_id", "label", "channel")
    list_select_related = ("user", "content_type")

    def has_change_permission(self, request, obj=None):
        return False
