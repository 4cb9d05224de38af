from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "portal.signing"
    label = "signing"
    verbose_name = _("Electronic seal")

    def ready(self) -> None:
        from . import access, checks  # noqa: F401  (its policy; the deploy check of the keys)
