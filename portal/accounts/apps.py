from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from portal import schedules


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from portal.api import schema  # noqa: F401  (OpenAPI security schemes)
        from portal.registry import registry

        from . import access  # noqa: F401  (registers the policies)
        from .roles import sync_group_permissions

        post_migrate.connect(
            _sync_after_migrate(sync_group_permissions),
            dispatch_uid="portal.accounts.sync_group_permissions",
            weak=False,
        )
        registry.add_demo_loader("accounts", "portal.accounts.demo.load", after=["catalogue"])
        # periodic tasks, synced to django-q2 after migrate (portal/schedules.py)
        schedules.declare(
            "accounts: purge old one-time codes",
            "portal.accounts.tasks.purge_codes",
            cron="0 3 * * *",
        )


def _sync_after_migrate(sync):
    def handler(sender, app_config=None, using="default", **kwargs):
        # post_migrate fires once per app with models; run after the last one, when every
        # app's permissions exist.
        from django.apps import apps

        with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
        if app_config is not None and with_models and app_config is with_models[-1]:
            sync(using=using)

    return handler
