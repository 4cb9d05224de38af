from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutletsConfig(AppConfig):
    name = "outlets"
    verbose_name = _("Self-service outlets")

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the policies)
