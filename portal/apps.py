from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from portal import schedules, signals  # noqa: F401

        post_migrate.connect(
            schedules.sync_after_migrate, sender=self, dispatch_uid="portal.schedules.sync"
        )
        # files kept from forms sent back with errors live a day (portal/uploads.py)
        schedules.declare(
            "uploads: purge kept files", "portal.uploads.purge_expired_drafts", minutes=60
        )
