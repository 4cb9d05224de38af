"""Who may see and change a record: one policy per model, asked by every channel.

Each domain app declares the policies of the models it owns in ``<app>/access.py`` and registers
them in its ``AppConfig.ready()``. Pages, API views, exports, PDFs and the Django admin all ask
the same policy, so a rule is written once (ADR 0080).

A policy answers in two forms that must agree (``tests/core/test_access_consistency.py`` checks
them against each other for every demo account and record):

- ``visible(user)`` / ``changeable(user)``: a ``Q`` over the model, for lists, searches,
  exports and the admin's querysets (set-based, one query whatever the data size);
- ``can_view(user, obj)`` / ``can_change(user, obj)``: a check of one record, written as a
  predicate over ids already on the record where the pages need it without a query; by default
  it asks the database with the ``Q``.

A model without a registered policy gets :class:`Policy`: administrators read and change it
(superusers alone for workflow records), nobody else sees a row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import Model, Q, QuerySet

from portal.accounts.permissions import is_administrator

EVERYTHING = Q()
NOTHING = Q(pk__in=[])


def is_superuser(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def is_signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


class Policy:
    """Who may see and change records of one model. Subclass and override what differs.

    ``workflow_record``: records that change only through their services (cases, certificates,
    offers, applications, shipments and their logs). The admin shows them read-only to everybody
    but superusers, whose changes the history records.

    ``personal_fields``: field name -> masking function. Lists always show the masked value;
    a change form shows the full value only where :meth:`reveals` says the viewer needs it,
    and that view is recorded (:func:`portal.audit.record_view`).
    """

    model: ClassVar[type[Model]]
    workflow_record: ClassVar[bool] = False
    personal_fields: ClassVar[dict[str, Callable[[str], str]]] = {}

    # ---- sets -------------------------------------------------------------------------------
    def visible(self, user: Any) -> Q:
        """The rows ``user`` may see."""
        return EVERYTHING if is_administrator(user) else NOTHING

    def changeable(self, user: Any) -> Q:
        """The rows ``user`` may change by hand (workflow records: through their services only,
        so by hand only superusers)."""
        return EVERYTHING if self._administers(user) else NOTHING

    # ---- one record -------------------------------------------------------------------------
    def can_view(self, user: Any, obj: Model) -> bool:
        return self._matches(obj, self.visible(user))

    def can_change(self, user: Any, obj: Model) -> bool:
        return self._matches(obj, self.changeable(user))

    def can_add(self, user: Any) -> bool:
        return self._administers(user)

    def can_delete(self, user: Any, obj: Model | None = None) -> bool:
        return self._administers(user)

    def may_change_some(self, user: Any) -> bool:
        """Could ``user`` change any row at all (the admin's change permission without a row)."""
        return self.changeable(user) != NOTHING

    def reveals(self, user: Any, obj: Model) -> bool:
        """Does ``user`` need the full personal data of ``obj`` (shown, and the view logged)?"""
        return is_superuser(user)

    # ---- helpers ----------------------------------------------------------------------------
    def _administers(self, user: Any) -> bool:
        """Administrators keep reference data; workflow records only superusers touch."""
        return is_superuser(user) if self.workflow_record else is_administrator(user)

    def filter(self, queryset: QuerySet, user: Any) -> QuerySet:
        return _apply(queryset, self.visible(user))

    def filter_changeable(self, queryset: QuerySet, user: Any) -> QuerySet:
        return _apply(queryset, self.changeable(user))

    def _matches(self, obj: Model, condition: Q) -> bool:
        if condition == NOTHING or obj.pk is None:
            return False
        if condition == EVERYTHING:
            return True
        return type(obj)._default_manager.filter(condition, pk=obj.pk).exists()


def _apply(queryset: QuerySet, condition: Q) -> QuerySet:
    if condition == EVERYTHING:
        return queryset
    if condition == NOTHING:
        return queryset.none()
    return queryset.filter(condition)


# ---- registry -------------------------------------------------------------------------------
_policies: dict[type[Model], Policy] = {}


def register(policy_class: type[Policy]) -> type[Policy]:
    """Register a policy for its ``model`` (use as a class decorator in ``<app>/access.py``)."""
    model = policy_class.model
    if model in _policies and type(_policies[model]) is not policy_class:
        raise RuntimeError(f"{model.__name__} already has a policy: {_policies[model]!r}")
    _policies[model] = policy_class()
    return policy_class


def policy_for(model: type[Model] | Model) -> Policy:
    model_class = model if isinstance(model, type) else type(model)
    if model_class._meta.proxy:
        model_class = model_class._meta.concrete_model or model_class
    found = _policies.get(model_class)
    if found is None:
        found = _policies[model_class] = _default_policy(model_class)
    return found


def registered() -> dict[type[Model], Policy]:
    return dict(_policies)


def _default_policy(model_class: type[Model]) -> Policy:
    return type(f"{model_class.__name__}DefaultPolicy", (Policy,), {"model": model_class})()


def visible(user: Any, model_or_queryset: type[Model] | QuerySet) -> QuerySet:
    """``model_or_queryset`` cut to what ``user`` may see."""
    if isinstance(model_or_queryset, QuerySet):
        return policy_for(model_or_queryset.model).filter(model_or_queryset, user)
    return policy_for(model_or_queryset).filter(model_or_queryset._default_manager.all(), user)


def can_view(user: Any, obj: Model) -> bool:
    return policy_for(obj).can_view(user, obj)


def can_change(user: Any, obj: Model) -> bool:
    return policy_for(obj).can_change(user, obj)


# ---- system clients' scopes -----------------------------------------------------------------
@dataclass(frozen=True)
class Scope:
    name: str
    description: str


_scopes: dict[str, Scope] = {}


def register_scope(name: str, description: str) -> Scope:
    """A permission a system client may be given (e.g. ``licence_events:write``)."""
    scope = _scopes.setdefault(name, Scope(name, description))
    return scope


def scopes() -> list[Scope]:
    return sorted(_scopes.values(), key=lambda s: s.name)


def check_scopes(names: Iterable[str]) -> list[str]:
    """The names that are not registered scopes."""
    return [name for name in names if name not in _scopes]
