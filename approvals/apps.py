from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import schedules


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Cases and proactive approvals")

    def ready(self) -> None:
        from portal.accounts.models import Role
        from portal.accounts.roles import ALL
        from portal.registry import registry

        from . import access, workflows  # noqa: F401  (register the policies and the workflow)
        from .selectors import works_on_cases

        # the admin permissions of the roles that work on this app (portal/accounts/roles.py)
        registry.add_role_permissions(Role.DEPARTMENT_STAFF, "approvals", ("view", "change"))
        registry.add_role_permissions(Role.ADMINISTRATOR, "approvals", ALL)

        registry.add_nav_link("approvals:my_cases", _("My cases"), order=40)
        registry.add_work_page(
            "approvals:staff_cases", _("Cases to handle"), applies=works_on_cases, order=10
        )
        registry.add_home_part(
            "approvals",
            title=_("My cases and proactive approvals"),
            text=_(
                "Follow your cases, and confirm the approvals the government offers you before you "
                "apply (无感审批)."
            ),
            links=["approvals:my_cases"],
            order=30,
        )
        registry.add_item_panel("approvals/includes/item_apply.html", order=10)
        registry.add_demo_loader(
            "approvals", "approvals.demo.load", after=["catalogue", "accounts"]
        )
        registry.add_reference_loader("approvals", "approvals.reference.load", after=["catalogue"])
        # periodic tasks, synced to django-q2 after migrate (portal/schedules.py)
        schedules.declare(
            "approvals: daily deadlines", "approvals.tasks.daily_deadlines", cron="30 1 * * *"
        )
