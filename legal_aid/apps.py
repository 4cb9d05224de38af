from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from portal import schedules


class LegalAidConfig(AppConfig):
    name = "legal_aid"
    verbose_name = _("Legal aid")

    def ready(self) -> None:
        from portal.accounts.models import Role
        from portal.accounts.roles import ALL
        from portal.registry import registry
        from portal.signing.authorities import add_source as add_signing_source

        from . import access, workflows  # noqa: F401  (register the policies and the workflow)
        from .permissions import is_staff_member

        # the admin permissions of the roles that work on this app (portal/accounts/roles.py)
        registry.add_role_permissions(Role.LEGAL_AID_STAFF, "legal_aid", ("view", "add", "change"))
        registry.add_role_permissions(Role.ADMINISTRATOR, "legal_aid", ALL)

        registry.add_nav_link("legal_aid:home", _("Legal aid"), order=50)
        registry.add_work_page(
            "legal_aid:worklist", _("Legal-aid worklist"), applies=is_staff_member, order=30
        )
        registry.add_user_binding("legal_aid_membership__centre")  # permissions.membership
        registry.add_home_part(
            "legal_aid",
            title=_("Legal aid"),
            text=_("Apply for legal aid at any centre in the city, or online; hotline 12348."),
            links=["legal_aid:home"],
            order=40,
        )
        registry.add_demo_loader(
            "legal_aid", "legal_aid.demo.load", after=["catalogue", "accounts"]
        )
        registry.add_reference_loader("legal_aid", "legal_aid.reference.load", after=["catalogue"])
        # the centres sign their letters with their own keys (portal/signing, ADR 0097)
        add_signing_source("legal_aid", "legal_aid.views.documents.authorities")
        # periodic tasks, synced to django-q2 after migrate (portal/schedules.py)
        schedules.declare("legal_aid.daily", "legal_aid.tasks.daily", cron="30 7 * * *")
