from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import schedules


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = _("Cases and proactive approvals")

    def import_models(self) -> None:
        super().import_models()
        # Bundle applications (一事全办) keep a module of their own (ADR 0118).
        import_module("approvals.bundles.models")

    def ready(self) -> None:
        from portal.accounts.models import Role
        from portal.accounts.roles import ALL
        from portal.registry import registry

        from . import access, workflows  # noqa: F401  (register the policies and the workflow)
        from .bundles import access as bundle_access  # noqa: F401
        from .bundles import admin as bundle_admin  # noqa: F401
        from .panels import add_case_panel
        from .selectors import works_on_cases

        # the admin permissions of the roles that work on this app (portal/accounts/roles.py)
        # (and they add and remove their own items' smart-approval checks, ADR 0117)
        registry.add_role_permissions(
            Role.DEPARTMENT_STAFF,
            "approvals",
            {
                **{m._meta.model_name: ("view", "change") for m in self.get_models()},
                "smartcheck": ALL,
            },
        )
        registry.add_role_permissions(Role.ADMINISTRATOR, "approvals", ALL)

        registry.add_nav_link("approvals:my_cases", _("My cases"), order=40)
        registry.add_work_page(
            "approvals:staff_cases", _("Cases to handle"), applies=works_on_cases, order=10
        )
        registry.add_user_binding("acceptance_post")  # their point (permissions.point_id_of)
        registry.add_home_part(
            "approvals",
            title=_("My cases and proactive approvals"),
            text=_(
                "Follow your cases, and confirm the approvals the government offers you before "
                "you apply."
            ),
            links=["approvals:my_cases"],
            order=30,
        )
        registry.add_item_panel("approvals/includes/item_apply.html", order=10)
        registry.add_item_panel("approvals/includes/item_blank_forms.html", order=15)
        registry.add_bundle_panel("approvals/bundles/bundle_apply_panel.html", order=10)
        add_case_panel("approvals/bundles/case_panel.html", order=5)
        add_case_panel("approvals/includes/smart_checks.html", order=20)  # staff only
        registry.add_demo_loader(
            "approvals", "approvals.demo.load", after=["catalogue", "accounts"]
        )
        registry.add_reference_loader("approvals", "approvals.reference.load", after=["catalogue"])
        # periodic tasks, synced to django-q2 after migrate (portal/schedules.py)
        schedules.declare(
            "approvals: daily deadlines", "approvals.tasks.daily_deadlines", cron="30 1 * * *"
        )
