"""Forms of the catalogue's pages: the filters of the browse, search and list pages, and the
admin's import upload."""

from __future__ import annotations

import functools
import hashlib

from django import forms
from django.core.cache import cache
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal import pagecache
from portal.catalogue.models import QINGDAO_CODE, DepartmentLevel, Domain, ItemKind
from portal.catalogue.selectors import ItemFilters, department_choices

CHANNEL_CHOICES = [
    ("online", _("Online")),
    ("service_hall", _("Service hall")),
    ("self_service", _("Self-service terminal")),
    ("mobile", _("Mobile app")),
]


def local_name(obj) -> str:
    """The English name when the page is in English and the object has one."""
    name_en = getattr(obj, "name_en", "")
    if name_en and (get_language() or "").startswith("en"):
        return name_en
    return getattr(obj, "name", str(obj))


@functools.cache
def district_rows() -> tuple[tuple[str, str, str], ...]:
    """Qingdao's districts and county-level cities (code, name, English name), from the reference
    data file: no query."""
    from portal.catalogue.reference import region_rows

    return tuple(
        (row["code"], row["name"], row["name_en"])
        for row in region_rows()
        if row["parent_id"] == QINGDAO_CODE
    )


def district_choices() -> list[tuple[str, str]]:
    english = (get_language() or "").startswith("en")
    return [("", _("Any district"))] + [
        (code, name_en if english and name_en else name) for code, name, name_en in district_rows()
    ]


class FastSelect(forms.Select):
    """A select rendered in Python rather than through one template per option: the filter
    form's department list has over a hundred options, and template rendering made up half the
    catalogue page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (str(v), mark_safe(" selected") if str(v) == selected else "", label)
                for v, label in self.choices
            ),
        )
        attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(attrs), options)


class DepartmentSelect(FastSelect):
    """The department select (123 options, one query): rendered once per public data version,
    language and selected value, then taken from the cache, so a search page that misses the
    page cache (every new query string) neither queries the departments nor builds the options
    again. A department renamed or added moves the version (portal.pagecache)."""

    def render(self, name, value, attrs=None, renderer=None):
        shown = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        key = (
            "catalogue:select:"
            + hashlib.blake2b(
                repr(
                    (pagecache.data_version(), get_language(), name, value, sorted(shown.items()))
                ).encode(),
                digest_size=16,
            ).hexdigest()
        )
        html = cache.get(key)
        if html is None:
            html = str(super().render(name, value, attrs, renderer))
            cache.set(key, html, 3600)
        return mark_safe(html)  # noqa: S308  (rendered above with format_html: escaped)


class DepartmentField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return local_name(obj)


class ItemFilterForm(forms.Form):
    """Filters of the catalogue page. Invalid fields are reported and ignored; valid ones apply."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. 社保, 公积金")}),
    )
    domain = forms.ChoiceField(
        label=_("Domain"),
        required=False,
        choices=[("", _("All domains")), *Domain.choices],
        widget=FastSelect,
    )
    department = DepartmentField(
        label=_("Department"),
        required=False,
        queryset=department_choices(),
        to_field_name="code",
        empty_label=_("All departments"),
        widget=DepartmentSelect,
    )
    level = forms.ChoiceField(
        label=_("Department level"),
        required=False,
        choices=[("", _("All levels")), *DepartmentLevel.choices],
        widget=FastSelect,
    )
    kind = forms.ChoiceField(
        label=_("Kind of item"),
        required=False,
        choices=[("", _("All kinds")), *ItemKind.choices],
        widget=FastSelect,
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=[("", _("Any channel")), *CHANNEL_CHOICES],
        widget=FastSelect,
    )
    city_wide = forms.BooleanField(label=_("On the city-wide list"), required=False)
    regional = forms.BooleanField(label=_("On the regional list"), required=False)
    proactive = forms.BooleanField(label=_("Proactive approval"), required=False)
    district = forms.ChoiceField(
        label=_("Your district (its services first)"),
        required=False,
        choices=district_choices,
        widget=FastSelect,
    )

    list_fields = ("city_wide", "regional")

    def filters(self) -> ItemFilters:
        """The filters of the valid fields (call after ``is_valid()``)."""
        data = dict(getattr(self, "cleaned_data", {}))
        if data.get("department") is not None:
            data["department"] = data["department"].code
        for name in ("city_wide", "regional", "proactive"):
            data[name] = True if data.get(name) else None
        return ItemFilters.from_mapping(data)


class ListFilterForm(ItemFilterForm):
    """The filters of a list page: the list itself is given."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.list_fields:
            del self.fields[name]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "One item per row; the first row names the columns. Nothing is stored unless every "
            "row is valid."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
