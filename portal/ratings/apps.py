from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import schedules


class RatingsConfig(AppConfig):
    name = "portal.ratings"
    label = "ratings"
    verbose_name = _("Service ratings")

    def ready(self) -> None:
        from . import access, workflows  # noqa: F401  (register the policies and the workflow)

        # periodic tasks, synced to django-q2 after migrate (portal/schedules.py)
        schedules.declare(
            "ratings: remind departments of overdue follow-ups",
            "portal.ratings.tasks.remind_overdue",
            cron="0 8 * * *",
        )
