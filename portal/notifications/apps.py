from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import schedules


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from portal.access import register_scope

        from . import access  # noqa: F401  (registers the policy)

        register_scope("notifications:receipts", _("Report delivery receipts (the SMS gateway)"))
        # periodic tasks, synced to django-q2 after migrate (portal/schedules.py)
        schedules.declare(
            "notifications: requeue stale messages",
            "portal.notifications.tasks.requeue_stale",
            minutes=10,
        )
