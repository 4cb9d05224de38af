from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProactiveConfig(AppConfig):
    name = "approvals.proactive"
    label = "proactive"
    verbose_name = _("Proactive approvals")

    def ready(self) -> None:
        from . import signals

        signals.connect()
