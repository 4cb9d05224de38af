"""Django groups, one per role, with the model permissions each role needs in the admin.

The groups are created, and their permissions (re)assigned, after every ``migrate`` by
:func:`sync_group_permissions` (connected to ``post_migrate``), because the permissions of apps
migrated later only exist then. A rule names
an app label and either a list of actions (``view``, ``add``, ``change``, ``delete``) for all its
models or a ``{model: actions}`` mapping; apps that are not installed are skipped. The rules for
the portal's own apps are here; a domain app adds its own in its ``AppConfig.ready()``
(``portal.registry.registry.add_role_permissions``), so the core names no domain app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .models import Role

if TYPE_CHECKING:
    from .models import User

ALL = ("view", "add", "change", "delete")
VIEW = ("view",)

ROLE_PERMISSIONS: dict[str, dict[str, object]] = {
    Role.CITIZEN: {},
    Role.COMPANY_HANDLER: {},
    Role.DEPARTMENT_STAFF: {
        "catalogue": {"serviceitem": ("view", "change"), "department": VIEW, "region": VIEW},
        "ratings": {"rating": VIEW, "followup": ("view", "change")},
    },
    Role.OUTLET_MANAGER: {
        "catalogue": {"serviceitem": VIEW, "department": VIEW, "region": VIEW},
    },
    Role.LEGAL_AID_STAFF: {
        "catalogue": {"department": VIEW, "region": VIEW},
        "ratings": {"rating": VIEW, "followup": ("view", "change")},
    },
    Role.ADMINISTRATOR: {
        "accounts": ALL,
        "auth": {"group": VIEW},
        "catalogue": ALL,
        "portal": ALL,
        "notifications": ALL,
        "ratings": ALL,
        "signing": VIEW,  # the register of issued documents (written by the services only)
        "django_q": VIEW,
        # lockouts: see the failed attempts and lift a lockout by deleting its record
        "axes": ("view", "delete"),
    },
}


def role_permissions() -> dict[str, dict[str, object]]:
    """The rules of every role: the core's and those the domain apps registered."""
    from portal.registry import registry

    merged = {role: dict(rules) for role, rules in ROLE_PERMISSIONS.items()}
    for role, rules in registry.role_permissions().items():
        merged.setdefault(role, {}).update(rules)
    return merged


def group_name(role: str) -> str:
    return f"role:{role}"


def sync_group_permissions(using: str = "default", **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for role, rules in role_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=group_name(role))
        query = Q(pk__in=[])
        for app_label, rule in rules.items():
            if isinstance(rule, dict):
                for model, actions in rule.items():
                    query |= Q(
                        content_type__app_label=app_label,
                        codename__in=[f"{action}_{model}" for action in actions],
                    )
            else:
                query |= Q(content_type__app_label=app_label) & _actions_q(rule)
        group.permissions.set(Permission.objects.using(using).filter(query))


def _actions_q(actions):
    from django.db.models import Q

    q = Q(pk__in=[])
    for action in actions:
        q |= Q(codename__startswith=f"{action}_")
    return q


def sync_user_groups(user: User) -> None:
    """Put ``user`` in the group of their role and out of the other role groups."""
    from django.contrib.auth.models import Group

    names = [group_name(role) for role in Role.values]
    current = user.groups.filter(name__in=names)
    wanted = group_name(user.role)
    stale = [g for g in current if g.name != wanted]
    if stale:
        user.groups.remove(*stale)
    if not any(g.name == wanted for g in current):
        group = Group.objects.filter(name=wanted).first()
        if group is not None:
            user.groups.add(group)
