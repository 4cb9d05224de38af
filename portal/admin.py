from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from portal.access import Policy, register
from portal.access.admin import ScopedAdmin
from portal.models import CalendarDay, PersonalDataView

# The admin is the portal's back office, named as the portal (Django's default says "Django 管理"
# / "Django administration"; issue 14 point 9).
admin.site.site_header = _("Qingdao Government Services: administration")
admin.site.site_title = _("Qingdao Government Services administration")
admin.site.index_title = _("Back-office home")

# Django's own Chinese admin catalogue says "过滤器" and "以 …" where the portal says "筛选" and
# "按…". These msgids are in the project catalogue (LOCALE_PATHS, read before any app's), which
# gives them the portal's words; the English stays Django's.
ADMIN_WORDS = (gettext_noop("Filter"), gettext_noop(" By %(filter_title)s "))


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
