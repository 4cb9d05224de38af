from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from portal.access import register_scope

        from . import access  # noqa: F401  (registers the policy)

        register_scope("notifications:receipts", _("Report delivery receipts (the SMS gateway)"))
