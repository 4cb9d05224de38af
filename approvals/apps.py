from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Cases and proactive approvals")

    def ready(self) -> None:
        from . import access, workflows  # noqa: F401  (register the policies and the workflow)
