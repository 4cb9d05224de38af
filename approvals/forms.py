"""Forms of the case pages. They collect input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.catalogue.models import MaterialSource, ServiceItem
from portal.uploads import ALLOWED_TYPES, MAX_UPLOAD_BYTES
from portal.validators import validate_visible_text

from .models import ApplicantKind, Status

ACCEPT_ATTR = ",".join(f".{ext}" for ext in ALLOWED_TYPES)


class ApplicantFields(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=_("Applying as"), choices=ApplicantKind.choices, initial=ApplicantKind.PERSON
    )
    applicant_name = forms.CharField(
        label=_("Name of the applicant"),
        max_length=128,
        help_text=_("A person's full name, or the company's registered name."),
        validators=[validate_visible_text],
    )
    applicant_id_number = forms.CharField(
        label=_("Identity number"),
        max_length=18,
        help_text=_(
            "18-character resident identity number of a person, or unified social credit code "
            "of a company."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    applicant_mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=11,
        required=False,
        help_text=_("We send a text message when the case moves on."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}),
    )


class CaseApplicationForm(ApplicantFields):
    """Application for one item: applicant, where it is accepted, and the item's materials."""

    accepting_point = forms.ModelChoiceField(
        label=_("Accepting point"),
        queryset=None,
        empty_label=None,
        help_text=_("Only the places that may accept this item are listed."),
    )
    note = forms.CharField(
        label=_("Note for the staff"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, item: ServiceItem, points, counter: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
        self.counter = counter
        if counter:
            del self.fields["accepting_point"]
        else:
            self.fields["accepting_point"].queryset = points
        self.shared_materials = []
        self.material_fields: list[str] = []
        self.item_materials = list(item.materials.all())
        for material in self.item_materials:
            name = f"material_{material.pk}"
            if material.source == MaterialSource.SHARED:
                self.shared_materials.append(material)
                continue
            if material.source == MaterialSource.COMMITMENT:
                text = material.commitment_text or _(
                    "I commit that the information I have given about “%(name)s” is true."
                ) % {"name": material.name}
                self.fields[name] = forms.BooleanField(
                    label=text,
                    required=material.required,
                    help_text=_("Commitment (告知承诺): %(name)s") % {"name": material.name},
                )
            elif counter:
                self.fields[name] = forms.BooleanField(
                    label=_("Paper original received: %(name)s") % {"name": material.name},
                    required=False,
                )
            else:
                required = material.required and not item.missing_materials_allowed
                help_text = _("PDF, JPG or PNG, at most %(mb)d MB.") % {
                    "mb": MAX_UPLOAD_BYTES // (1024 * 1024)
                }
                if material.required and item.missing_materials_allowed:
                    help_text += " " + _(
                        "You may supply it later (acceptance with missing materials)."
                    )
                if material.note:
                    help_text = f"{material.note} {help_text}"
                self.fields[name] = forms.FileField(
                    label=material.name,
                    required=required,
                    help_text=help_text,
                    widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
                )
            self.material_fields.append(name)

    def case_input(self) -> dict:
        """What the form gives ``services.submit_case``: the applicant, materials and note."""
        data = self.cleaned_data
        return {
            "applicant_kind": data["applicant_kind"],
            "applicant_id_number": data["applicant_id_number"],
            "applicant_name": data["applicant_name"],
            "applicant_mobile": data["applicant_mobile"],
            "materials": self.materials(),
            "note": data["note"],
        }

    def materials(self) -> list[dict]:
        out = []
        for material in self.item_materials:
            name = f"material_{material.pk}"
            value = self.cleaned_data.get(name)
            if material.source == MaterialSource.COMMITMENT:
                out.append({"material": material, "committed": bool(value)})
            elif material.source == MaterialSource.APPLICANT:
                if self.counter:
                    out.append({"material": material, "paper": bool(value)})
                elif value:
                    out.append({"material": material, "file": value})
        return out

    def apply_errors(self, exc: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names."""
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                target = field if field in self.fields else None
                for error in errors:
                    self.add_error(target, error)
        else:
            for message in exc.messages:
                self.add_error(None, message)


class AddMaterialForm(forms.Form):
    """A file added to an open case: a missing material, or a corrected one."""

    material = forms.ModelChoiceField(label=_("Material"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTR}),
    )

    def __init__(self, *args, item: ServiceItem, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, JPG or PNG, at most %(mb)d MB.") % {
            "mb": MAX_UPLOAD_BYTES // (1024 * 1024)
        }
        self.fields["material"].queryset = item.materials.filter(source=MaterialSource.APPLICANT)


class WalkInItemForm(forms.Form):
    item = forms.CharField(
        label=_("Item code"),
        max_length=40,
        help_text=_("The code of the service item, as printed in the catalogue."),
    )

    def clean_item(self):
        code = self.cleaned_data["item"].strip()
        item = ServiceItem.objects.select_related("department").filter(code=code).first()
        if item is None:
            raise ValidationError(_("There is no item with this code."))
        return item


class TransitionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    materials_due_on = forms.DateField(
        label=_("Missing materials due on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class StaffFilterForm(forms.Form):
    SCOPES = [("department", _("My department's cases")), ("point", _("Received at my point"))]
    scope = forms.ChoiceField(label=_("Cases"), choices=SCOPES, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("open", _("All open cases")), ("all", _("All cases")), *Status.choices],
        required=False,
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    materials_overdue = forms.BooleanField(
        label=_("Materials to follow overdue only"), required=False
    )
    q = forms.CharField(
        label=_("Case number or applicant's name"), required=False, max_length=64, strip=True
    )
