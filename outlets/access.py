"""Who may see and change the outlets' records (ADR 0080).

- Outlets, their opening hours and terminals are reference data: administrators keep them in the
  admin. An outlet manager sees (read-only) the outlets bound to them; the public pages and the
  finder show every outlet to everyone, as before.
- Manager bindings (:class:`OutletManager`): administrators only, never the person they bind
  (issue 11: a user given the outlet-manager role added itself to an outlet it did not manage).
- Item lists: a manager drafts and publishes the lists of the outlets bound to them, through the
  manager pages and API; administrators those of every outlet. Published versions are immutable
  snapshots: nobody changes them, by hand or otherwise.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from portal.access import EVERYTHING, NOTHING, Policy, register
from portal.accounts.models import Role
from portal.accounts.permissions import has_role, is_administrator

from .models import (
    ItemListEntry,
    ItemListVersion,
    OpeningHours,
    Outlet,
    OutletManager,
    Terminal,
    VersionStatus,
)


def is_outlet_manager(user: Any) -> bool:
    return has_role(user, Role.OUTLET_MANAGER)


def managed_outlet_ids(user: Any):
    """The ids of the outlets bound to ``user`` (a subquery)."""
    return OutletManager.objects.filter(user_id=user.pk).values("outlet_id")


def _outlets(user: Any, outlet_field: str) -> Q:
    """Administrators every outlet's rows; an outlet manager those of their outlets
    (``outlet_field`` leads to the outlet's id on the model); anybody else none."""
    if is_administrator(user):
        return EVERYTHING
    if is_outlet_manager(user):
        return Q(**{f"{outlet_field}__in": managed_outlet_ids(user)})
    return NOTHING


def manageable_outlets(user: Any) -> Q:
    """The outlets whose item list ``user`` may draft and publish (a Q over Outlet)."""
    return _outlets(user, "pk")


def may_manage_list(user: Any, outlet: Outlet) -> bool:
    """May ``user`` draft and publish the item list of ``outlet``? One query for a manager,
    none for anybody else."""
    if is_administrator(user):
        return True
    if not is_outlet_manager(user) or outlet.pk is None:
        return False
    return OutletManager.objects.filter(user_id=user.pk, outlet_id=outlet.pk).exists()


class _ReferencePolicy(Policy):
    """Administrators change; administrators and the outlet's managers see."""

    outlet_field = "outlet_id"

    def visible(self, user: Any) -> Q:
        return _outlets(user, self.outlet_field)


@register
class OutletPolicy(_ReferencePolicy):
    model = Outlet
    outlet_field = "pk"


@register
class OpeningHoursPolicy(_ReferencePolicy):
    model = OpeningHours


@register
class TerminalPolicy(_ReferencePolicy):
    model = Terminal


@register
class OutletManagerPolicy(Policy):
    """Bindings: administrators only (the default policy, said out loud)."""

    model = OutletManager


@register
class ItemListVersionPolicy(Policy):
    """Drafts change through the manager pages and API (``outlets.services``), published versions
    never; the admin only shows them."""

    model = ItemListVersion

    def visible(self, user: Any) -> Q:
        return _outlets(user, "outlet_id")

    def changeable(self, user: Any) -> Q:
        condition = _outlets(user, "outlet_id")
        if condition == NOTHING:
            return NOTHING
        return Q(status=VersionStatus.DRAFT) & condition

    def can_add(self, user: Any) -> bool:
        return False

    def can_delete(self, user: Any, obj: ItemListVersion | None = None) -> bool:
        return False


@register
class ItemListEntryPolicy(Policy):
    model = ItemListEntry

    def visible(self, user: Any) -> Q:
        return _outlets(user, "version__outlet_id")

    def changeable(self, user: Any) -> Q:
        condition = _outlets(user, "version__outlet_id")
        if condition == NOTHING:
            return NOTHING
        return Q(version__status=VersionStatus.DRAFT) & condition

    def can_add(self, user: Any) -> bool:
        return False

    def can_delete(self, user: Any, obj: ItemListEntry | None = None) -> bool:
        return False
