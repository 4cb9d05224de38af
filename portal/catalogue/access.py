"""Who may see and change the catalogue (ADR 0080).

The catalogue is published: regions, departments, service items, their materials and the handling
lists are read by everyone on the pages, the API and the exports, so every policy here sees every
row. Changing them is another matter:

- Administrators keep all of it (and import items from a spreadsheet, and edit the search's
  synonyms).
- Department staff may change the service items of their own department (time limits, fees,
  channels, flags), never another department's, and never move an item to another department;
  the admin records who changed what, with the old values (django-simple-history).
- Nobody else changes anything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from portal.access import EVERYTHING, NOTHING, Policy, register
from portal.accounts.permissions import is_administrator, is_department_staff

from .models import (
    BasicService,
    Department,
    HandlingList,
    ListEntry,
    Material,
    Region,
    SearchSynonym,
    ServiceItem,
)


class PublishedPolicy(Policy):
    """Public reference data: everybody sees it; administrators change it."""

    def visible(self, user: Any) -> Q:
        return EVERYTHING

    def can_view(self, user: Any, obj) -> bool:
        return obj.pk is not None


@register
class RegionPolicy(PublishedPolicy):
    model = Region


@register
class DepartmentPolicy(PublishedPolicy):
    model = Department


@register
class BasicServicePolicy(PublishedPolicy):
    """The basic catalogue (ADR 0121): what a service is and its legal basis are the same in
    every district, so administrators keep it, not one district's staff."""

    model = BasicService


@register
class ServiceItemPolicy(PublishedPolicy):
    model = ServiceItem

    def changeable(self, user: Any) -> Q:
        if is_administrator(user):
            return EVERYTHING
        if is_department_staff(user):
            return Q(department_id=user.department_id)
        return NOTHING

    def can_change(self, user: Any, obj: ServiceItem) -> bool:
        if obj.pk is None:
            return False
        if is_administrator(user):
            return True
        return is_department_staff(user, obj.department_id)


@register
class MaterialPolicy(PublishedPolicy):
    model = Material


@register
class HandlingListPolicy(PublishedPolicy):
    model = HandlingList


@register
class ListEntryPolicy(PublishedPolicy):
    model = ListEntry


@register
class SearchSynonymPolicy(PublishedPolicy):
    """The search's synonyms shape what everybody finds: administrators keep them."""

    model = SearchSynonym


def may_move_items(user: Any) -> bool:
    """May ``user`` give an item another code, basic service or competent department
    (administrators)?"""
    return is_administrator(user)
