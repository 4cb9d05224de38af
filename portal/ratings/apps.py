from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "portal.ratings"
    label = "ratings"
    verbose_name = _("Service ratings")

    def ready(self) -> None:
        from . import access  # noqa: F401  (registers the policies)
