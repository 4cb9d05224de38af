"""The Django admin asks the same policies as the pages and the API.

:class:`ScopedAdmin` is the base of every ``ModelAdmin`` in the portal: its querysets (lists,
searches, actions, change forms, autocomplete, raw-id pop-ups, history) hold only the rows the
policy lets the user see; it refuses to change, add or delete what the policy refuses; it offers
in a foreign-key field only the rows the user may see; it shows workflow records read-only to
everybody but superusers; and it masks personal data, showing the full value only to a viewer the
policy says needs it, recording that view. :class:`ScopedInline` does the same for inlines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Field, Model
from django.http import Http404, HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from portal import audit
from portal.history import record_baseline

from . import Policy, policy_for

MASKED_PREFIX = "masked__"


def masked_display(field_name: str, mask: Callable[[str], str], label: Any) -> Callable:
    def display(obj: Model) -> str:
        return mask(getattr(obj, field_name, "") or "") or "—"

    display.short_description = label  # type: ignore[attr-defined]
    display.admin_order_field = field_name  # type: ignore[attr-defined]
    return display


class _PolicyMixin:
    model: type[Model]

    @property
    def policy(self) -> Policy:
        return policy_for(self.model)

    def _personal(self) -> dict[str, Callable[[str], str]]:
        return self.policy.personal_fields

    def _masked_name(self, field: str) -> str:
        return f"{MASKED_PREFIX}{field}"

    def __getattr__(self, name: str) -> Any:
        # ``masked__<field>``: the display function of a personal field, resolved by the
        # admin's lookup of list_display / readonly_fields names.
        if name.startswith(MASKED_PREFIX):
            field = name[len(MASKED_PREFIX) :]
            mask = self.policy.personal_fields.get(field)
            if mask is not None:
                model_field = self.model._meta.get_field(field)
                label = model_field.verbose_name if isinstance(model_field, Field) else field
                return masked_display(field, mask, label)
        raise AttributeError(name)

    def _formfield_queryset(self, db_field, request: HttpRequest, kwargs: dict) -> None:
        related = db_field.remote_field.model
        if "queryset" in kwargs:
            kwargs["queryset"] = policy_for(related).filter(kwargs["queryset"], request.user)
        else:
            kwargs["queryset"] = policy_for(related).filter(
                related._default_manager.all(), request.user
            )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._formfield_queryset(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._formfield_queryset(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def _mask_names(self, names, request: HttpRequest, obj: Model | None) -> list:
        personal = self._personal()
        if not personal or (obj is not None and self.policy.reveals(request.user, obj)):
            return list(names)
        return [self._masked_name(n) if n in personal else n for n in names]


class ScopedAdmin(_PolicyMixin, SimpleHistoryAdmin):
    """A ``ModelAdmin`` that follows the model's policy (see the module's docstring)."""

    def get_queryset(self, request):
        return self.policy.filter(super().get_queryset(request), request.user)

    # ---- permissions: the model permission (role groups) and the policy must both allow ----
    def has_view_permission(self, request, obj=None):
        if not super().has_view_permission(request, obj):
            return False
        return obj is None or self.policy.can_view(request.user, obj)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return self.policy.may_change_some(request.user)
        return self.policy.can_change(request.user, obj)

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and self.policy.can_add(request.user)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return self.policy.can_delete(request.user, obj)

    # ---- personal data ------------------------------------------------------------------
    def get_list_display(self, request):
        return self._mask_names(super().get_list_display(request), request, None)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._personal():
            return fieldsets
        return [
            (name, {**options, "fields": self._mask_nested(options["fields"], request, obj)})
            for name, options in fieldsets
        ]

    def _mask_nested(self, fields, request, obj):
        out = []
        for entry in fields:
            if isinstance(entry, list | tuple):
                out.append(tuple(self._mask_names(entry, request, obj)))
            else:
                out.extend(self._mask_names([entry], request, obj))
        return out

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        personal = self._personal()
        if personal and not (obj is not None and self.policy.reveals(request.user, obj)):
            fields = [f for f in fields if f not in personal]
            fields += [self._masked_name(f) for f in personal]
        return fields

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = getattr(response, "context_data", {}).get("original") if response else None
        if (
            request.method == "GET"
            and obj is not None
            and self._personal()
            and self.policy.reveals(request.user, obj)
        ):
            audit.record_view(request.user, obj, channel="admin")
        return response

    # ---- history ------------------------------------------------------------------------
    # A row loaded in bulk (reference data, demo, imports) has no history yet: before its first
    # change by hand it gets a record of its stored state, so that change shows the old values.
    def save_model(self, request, obj, form, change):
        if change:
            record_baseline([obj])
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        record_baseline(
            f.instance
            for f in formset.initial_forms
            if f.instance.pk is not None and f.has_changed()
        )
        super().save_formset(request, form, formset, change)

    # History is read-only (SIMPLE_HISTORY_REVERT_DISABLED): a correction goes through the change
    # form, which the policy checks. An id that is malformed, unknown or outside the policy gets
    # the answer Django's change form gives a missing object; a superuser may still read the
    # history of a deleted row.
    def _has_history(self) -> bool:
        return bool(getattr(self.model._meta, "simple_history_manager_attribute", None))

    def _visible_or_none(self, request, object_id):
        return self.get_object(request, unquote(object_id))

    def _valid_pk(self, object_id) -> bool:
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except (ValidationError, ValueError):
            return False
        return True

    def history_view(self, request, object_id, extra_context=None):
        if not self._has_history():
            return admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        if self._visible_or_none(request, object_id) is None and not (
            request.user.is_superuser and self._valid_pk(object_id)
        ):
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        if not (self._has_history() and str(version_id).isdigit() and self._valid_pk(object_id)):
            raise Http404
        if self._visible_or_none(request, object_id) is None and not request.user.is_superuser:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedInline(_PolicyMixin, admin.TabularInline):
    """An inline that follows its model's policy; personal fields show masked."""

    extra = 0

    def get_queryset(self, request):
        return self.policy.filter(super().get_queryset(request), request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or policy_for(obj).can_view(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return self.policy.may_change_some(request.user) and (
            obj is None or policy_for(obj).can_change(request.user, obj)
        )

    def has_add_permission(self, request, obj=None):
        if not super().has_add_permission(request, obj):
            return False
        return self.policy.can_add(request.user) and (
            obj is None or policy_for(obj).can_change(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return self.policy.can_delete(request.user) and (
            obj is None or policy_for(obj).can_change(request.user, obj)
        )

    def get_fields(self, request, obj=None):
        return self._mask_names(super().get_fields(request, obj), request, None)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        personal = self._personal()
        return [f for f in fields if f not in personal] + [self._masked_name(f) for f in personal]


class ReadOnly:
    """Mixin (first among the bases) for what only the services write: a register, a log, a
    published version. Never added, changed or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnly, ScopedInline):
    """A log or a workflow record shown under its parent: never edited in the admin."""

    can_delete = False


__all__ = [
    "ReadOnly",
    "ReadOnlyInline",
    "ScopedAdmin",
    "ScopedInline",
    "masked_display",
    "scope_every_admin",
]


def scope_every_admin(site: admin.AdminSite) -> None:
    """Put the admins that other libraries registered (groups, task queue, lockout records) on
    the policies too, so no page of the admin escapes them. Called once the URL map loads, after
    every app's admin module ran."""
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, ScopedAdmin):
            continue
        scoped = type(f"Scoped{type(model_admin).__name__}", (ScopedAdmin, type(model_admin)), {})
        site.unregister(model)
        site.register(model, scoped)
