from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal import schedules


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from portal.api import schema  # noqa: F401  (OpenAPI security schemes)
        from portal.registry import registry

        from . import access  # noqa: F401  (registers the policies)
        from .permissions import is_administrator
        from .roles import sync_group_permissions

        post_migrate.connect(
            _sync_after_migrate(sync_group_permissions),
            dispatch_uid="portal.accounts.sync_group_permissions",
            weak=False,
        )
        registry.add_demo_loader("accounts", "portal.accounts.demo.load", after=["catalogue"])
        # administrators without a worklist of their own land in the admin (the apps' work
        # pages, registered with a lower order, come first)
        registry.add_work_page(
            "admin:index",
            pgettext_lazy("work page", "Administration"),
            applies=is_administrator,
            order=1000,
        )
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
