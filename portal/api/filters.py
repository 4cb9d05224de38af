"""The base of every API FilterSet (django-filter; ADR 0093): query parameters declared once, in
``<app>/filters.py``, validated (a bad value answers 400 problem details naming the parameter,
through ``portal.api.exceptions``) and documented by drf-spectacular from the same declaration.

``PortalFilterSet.refuse_blank`` names the parameters that may not be given empty (``?kind=``):
some lists have always refused that, others ignore it; each FilterSet keeps its list's rule."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, ClassVar

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension

#: Text parameters never contain NUL (PostgreSQL cannot compare it).
NO_NUL = RegexValidator(r"^[^\x00]*$", _("NUL characters are not allowed."))

#: The words DRF's BooleanField takes (case-insensitive).
WORDS_TRUE = frozenset({"t", "y", "yes", "true", "on", "1"})
WORDS_FALSE = frozenset({"f", "n", "no", "false", "off", "0"})


class BooleanWordField(forms.Field):
    """A yes/no query parameter that knows its words: any other value is an error (never read
    as "no filter", as django-filter's own boolean widget does)."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Must be a valid boolean.")}

    def __init__(
        self, *, true_values: Iterable[str] = WORDS_TRUE, false_values: Iterable[str] = WORDS_FALSE,
        **kwargs: Any,
    ) -> None:  # fmt: skip
        self.true_values = frozenset(true_values)
        self.false_values = frozenset(false_values)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> bool | None:
        if value in self.empty_values:
            return None
        word = str(value).lower()
        if word in self.true_values:
            return True
        if word in self.false_values:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanWordFilter(django_filters.BooleanFilter):
    """``BooleanFilter`` (so drf-spectacular documents a boolean) with strict words."""

    field_class = BooleanWordField


class IsoDateField(forms.DateField):
    """A date as ISO 8601 (YYYY-MM-DD) only, as the API has always read dates."""

    default_error_messages = {
        "invalid": _("Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
    }

    def to_python(self, value: Any):
        if value in self.empty_values:
            return None
        try:
            parsed = parse_date(str(value))
        except ValueError:  # well formed, but no such day (2026-02-30)
            parsed = None
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class IsoDateFilter(django_filters.DateFilter):
    field_class = IsoDateField


class PortalFilterForm(forms.Form):
    """Refuses the FilterSet's ``refuse_blank`` parameters when given empty."""

    refuse_blank: ClassVar[Collection[str]] = ()
    blank_message: ClassVar[str] = _("This parameter may not be empty.")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in self.refuse_blank:
            raw = self.data.get(name)
            if raw is not None and str(raw).strip() == "":
                self.add_error(name, forms.ValidationError(self.blank_message, code="blank"))
        return cleaned


class PortalFilterSet(django_filters.rest_framework.FilterSet):
    #: Parameters that answer 400 when given empty; the others treat empty as absent.
    refuse_blank: ClassVar[Collection[str]] = ()
    blank_message: ClassVar[str] = PortalFilterForm.blank_message

    class Meta:
        form = PortalFilterForm

    def get_form_class(self):
        form_class = super().get_form_class()
        form_class.refuse_blank = tuple(self.refuse_blank)
        form_class.blank_message = self.blank_message
        return form_class

    def value(self, name: str, default: Any = None) -> Any:
        """Another parameter's validated value (for a filter that depends on two)."""
        value = self.form.cleaned_data.get(name)
        return default if value in (None, "") else value

    @staticmethod
    def unchanged(queryset, name: str, value: Any):
        """For a parameter read by another parameter's filter (``value``)."""
        return queryset


class PortalFilterExtension(DjangoFilterExtension):
    """drf-spectacular's django-filter support, plus what the form fields check: lengths,
    patterns and bounds (so the documented parameter says what a 400 will say), and no
    ``title`` taken from a model field's verbose name."""

    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        field = filter_field.field
        facts: dict[str, Any] = {}
        if getattr(field, "max_length", None):
            facts["maxLength"] = field.max_length
        if field_name in getattr(filterset_class, "refuse_blank", ()):
            facts["minLength"] = 1
        for validator in field.validators:
            if isinstance(validator, RegexValidator) and not validator.inverse_match:
                facts["pattern"] = validator.regex.pattern
        for attribute, key in (("min_value", "minimum"), ("max_value", "maximum")):
            if getattr(field, attribute, None) is not None:
                bound = float(getattr(field, attribute))
                facts[key] = int(bound) if bound.is_integer() else bound
        for parameter in parameters:
            schema = parameter["schema"]
            schema.pop("title", None)
            if schema.get("type") == "string":
                schema.update(facts)
            else:
                schema.update({k: v for k, v in facts.items() if k in ("minimum", "maximum")})
        return parameters
