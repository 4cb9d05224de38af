"""Forms of the outlets pages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.catalogue.forms import local_name

from .models import Operator, OutletKind
from .services import MAX_IMPORT_BYTES


class FinderForm(forms.Form):
    q = forms.CharField(
        label=_("Service item"),
        required=False,
        max_length=100,
        help_text=_("An item code or words from its name, e.g. insurance enrolment certificate."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    district = forms.ChoiceField(label=_("District"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind of outlet"),
        required=False,
        choices=[("", _("Any kind")), *list(OutletKind.choices)],
    )
    operator = forms.ChoiceField(
        label=_("Operator"),
        required=False,
        choices=[("", _("Any operator")), *list(Operator.choices)],
    )
    origin = forms.ChoiceField(
        label=_("Sort by distance from"),
        required=False,
        help_text=_("Without your location, choose the district you are in."),
    )
    open_now = forms.BooleanField(label=_("Open now only"), required=False)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, widget=forms.HiddenInput())
    lng = forms.FloatField(
        required=False, min_value=-180, max_value=180, widget=forms.HiddenInput()
    )
    item = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput())

    def __init__(self, *args, districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(d.code, local_name(d)) for d in districts]  # English pages: English names
        self.fields["district"].choices = [("", _("All districts")), *choices]
        self.fields["origin"].choices = [("", _("Not chosen")), *choices]

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise ValidationError(_("Give both latitude and longitude."))
        return data


class AddItemForm(forms.Form):
    item = forms.CharField(label=_("Item code"), max_length=40)


class TerminalsForm(forms.Form):
    terminals = forms.MultipleChoiceField(
        label=_("Terminals offering the item"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none if every terminal of the outlet offers it."),
    )

    def __init__(self, *args, terminals=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["terminals"].choices = [
            (t.code, f"{t.code} · {t.model}" + (f" · {t.location}" if t.location else ""))
            for t in terminals
        ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File of item codes (CSV or XLSX)"),
        help_text=_(
            "One item code per row in the first column; optionally terminal codes in the second, "
            "separated by semicolons. A header row is allowed."
        ),
    )
    replace = forms.TypedChoiceField(
        label=_("What to do with the draft"),
        choices=[("1", _("Replace the draft with the file")), ("0", _("Add the file's items"))],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise ValidationError(_("Upload a .csv or .xlsx file."))
        return upload


class PreviewDateForm(forms.Form):
    """The date the preview compares for (GET): the list public on that date."""

    effective_date = forms.DateField(
        label=_("Effective from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "The public sees the new list from this date. Today or later. The changes below are "
            "compared with the list the public sees on that date."
        ),
    )


class PublishForm(forms.Form):
    """Publishing exactly what the preview showed: the date and the version compared with come
    back hidden, and each scheduled version the publication replaces is confirmed by a tick.
    The rules (a date in the past, a stale comparison, a missing tick) are the service's."""

    effective_date = forms.DateField(widget=forms.HiddenInput())
    compared_with = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    confirm_scheduled = forms.TypedMultipleChoiceField(
        label=_("Scheduled versions"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, confirm_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm_scheduled"].choices = list(confirm_choices)


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, withdraw this version"),
        error_messages={"required": _("Tick the box to confirm the withdrawal.")},
    )


class CompareForm(forms.Form):
    a = forms.IntegerField(label=_("Older version"), min_value=1)
    b = forms.IntegerField(label=_("Newer version"), min_value=1)
