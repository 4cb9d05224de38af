from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import schedules


class ProactiveConfig(AppConfig):
    name = "approvals.proactive"
    label = "proactive"
    verbose_name = _("Proactive approvals")

    def ready(self) -> None:
        from portal.access import register_scope
        from portal.accounts.models import Role
        from portal.accounts.roles import ALL
        from portal.registry import registry

        from . import access, signals, workflows  # noqa: F401  (policies, workflows)

        # the admin permissions of the roles that work on this app (portal/accounts/roles.py)
        registry.add_role_permissions(Role.DEPARTMENT_STAFF, "proactive", ("view", "change"))
        registry.add_role_permissions(Role.ADMINISTRATOR, "proactive", ALL)

        signals.connect()
        from .smart_sources import register as register_smart_sources

        # the company and person registers and their certificates, as smart approval's facts
        register_smart_sources()
        from approvals.panels import add_case_panel

        # the certificates and the courier's tracking on a proactive case's page
        add_case_panel("proactive/_case_panel_include.html", order=10)
        # every minute: orders the courier could not take yet, tried again when due
        schedules.declare(
            "proactive-courier-orders",
            "approvals.proactive.tasks.place_due_courier_orders",
            minutes=1,
        )
        # every minute: offers whose send task was lost (a worker killed mid-batch; issue 19)
        schedules.declare(
            "proactive-send-stale",
            "approvals.proactive.tasks.send_stale_offers",
            minutes=1,
        )
        register_scope("licence_events:write", _("Post licence events (the register feed)"))
        register_scope("register:read", _("Read the company register"))
        register_scope("courier:events", _("Report courier delivery events"))
        registry.add_demo_loader(
            "proactive",
            "approvals.proactive.demo.load",
            after=["catalogue", "accounts", "approvals"],
        )
        registry.add_reference_loader(
            "proactive", "approvals.proactive.reference.load", after=["catalogue"]
        )
        # periodic tasks, synced to django-q2 after migrate (portal/schedules.py)
        schedules.declare("proactive-daily", "approvals.proactive.tasks.daily", cron="30 6 * * *")
