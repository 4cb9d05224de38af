from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutletsConfig(AppConfig):
    name = "outlets"
    verbose_name = _("Self-service outlets")

    def ready(self) -> None:
        from portal import pagecache
        from portal.accounts.models import Role
        from portal.accounts.roles import ALL
        from portal.registry import registry

        from . import access  # registers the policies (and tells who manages outlets)

        pagecache.watch(self.label)  # cached public pages show a publish at once (ADR 0099)

        # the admin permissions of the roles that work on this app (portal/accounts/roles.py)
        registry.add_role_permissions(Role.OUTLET_MANAGER, "outlets", ("view", "add", "change"))
        registry.add_role_permissions(Role.ADMINISTRATOR, "outlets", ALL)

        registry.add_nav_link("outlets:finder", _("Self-service outlets"), order=30)
        registry.add_work_page(
            "outlets:manage_index", _("My outlets"), applies=access.is_outlet_manager, order=20
        )
        registry.add_home_part(
            "outlets",
            title=_("Self-service outlets"),
            text=_(
                "Service halls, bank branches and community stations with self-service terminals: "
                "which items each one handles, near you."
            ),
            links=["outlets:finder"],
            order=20,
        )
        registry.add_item_panel("outlets/includes/item_outlets.html", order=20)
        registry.add_demo_loader("outlets", "outlets.demo.load", after=["catalogue"])
