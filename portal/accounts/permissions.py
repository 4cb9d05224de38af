"""Who may do what. Helpers for views and services, DRF permission classes for the API.

Object-level rule of the house: a citizen sees only their own records; department staff only
their department's; administrators everything."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.permissions import BasePermission

from .models import Role

if TYPE_CHECKING:
    from .models import SystemClient


def _department_id(department: Any) -> int | None:
    if department is None:
        return None
    return department if isinstance(department, int) else department.pk


def is_administrator(user: Any) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role == Role.ADMINISTRATOR)
    )


def is_department_staff(user: Any, department: Any = None) -> bool:
    """Is ``user`` staff of a department (of ``department``, when one is given)?"""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.role != Role.DEPARTMENT_STAFF or user.department_id is None:
        return False
    wanted = _department_id(department)
    return wanted is None or user.department_id == wanted


def can_act_for_department(user: Any, department: Any) -> bool:
    """Staff of ``department`` or an administrator."""
    return is_administrator(user) or is_department_staff(user, department)


def has_role(user: Any, *roles: str) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.role in roles)


def is_owner(user: Any, obj: Any, field: str = "user") -> bool:
    """Does ``obj`` belong to ``user`` (``obj.<field>_id == user.pk``)?"""
    return bool(user and user.is_authenticated and getattr(obj, f"{field}_id", None) == user.pk)


class IsAdministrator(BasePermission):
    def has_permission(self, request, view) -> bool:
        return is_administrator(request.user)


class IsDepartmentStaff(BasePermission):
    """Department staff (or administrators); for an object, only staff of the object's
    department (``obj.department_id``, or ``view.get_object_department(obj)``)."""

    def has_permission(self, request, view) -> bool:
        return is_administrator(request.user) or is_department_staff(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        getter = getattr(view, "get_object_department", None)
        department = getter(obj) if getter else getattr(obj, "department_id", None)
        return can_act_for_department(request.user, department)


class IsOwner(BasePermission):
    """The object's ``user`` (or ``view.owner_field``) is the signed-in user."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated)

    def has_object_permission(self, request, view, obj) -> bool:
        return is_owner(request.user, obj, getattr(view, "owner_field", "user"))


class IsOwnerOrAdministrator(IsOwner):
    def has_object_permission(self, request, view, obj) -> bool:
        return is_administrator(request.user) or super().has_object_permission(request, view, obj)


def system_client(request) -> SystemClient | None:
    """The system calling, when the request came with an API key."""
    from .models import SystemClient

    auth = getattr(request, "auth", None)
    return auth if isinstance(auth, SystemClient) else None


class HasScope(BasePermission):
    """A system client whose key carries ``scope`` (use :func:`scope_required`)."""

    scope: str = ""
    message = "This API key does not have the scope this operation needs."

    def has_permission(self, request, view) -> bool:
        client = system_client(request)
        return client is not None and client.has_scope(self.scope)


def scope_required(scope: str) -> type[HasScope]:
    """A DRF permission class: the caller is a system client with ``scope``."""
    return type(f"HasScope_{scope.replace(':', '_')}", (HasScope,), {"scope": scope})
