"""Forms of the case pages. They collect input; the rules live in services."""

from __future__ import annotations

from typing import Self

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.catalogue.forms import local_name
from portal.catalogue.models import MaterialSource, ServiceItem
from portal.uploads import ALLOWED_TYPES, MAX_UPLOAD_BYTES, draft_file
from portal.validators import validate_visible_text

from .blank_forms import blank_form
from .models import ApplicantKind, Status

ACCEPT_ATTR = ",".join(f".{ext}" for ext in ALLOWED_TYPES)


class ApplicantFields(forms.Form):
    applicant_kind = forms.ChoiceField(
        label=_("Applying as"), choices=ApplicantKind.choices, initial=ApplicantKind.PERSON
    )
    applicant_name = forms.CharField(
        label=_("Name of the applicant"),
        max_length=128,
        error_messages={"required": _("Enter the applicant's name.")},
        help_text=_("A person's full name, or the company's registered name."),
        validators=[validate_visible_text],
    )
    applicant_id_number = forms.CharField(
        label=_("Identity number"),
        max_length=18,
        error_messages={"required": _("Enter the applicant's identity number.")},
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

    # Set by the forms with material fields (case and bundle applications).
    kept: dict
    material_fields: list[str]

    def with_kept(self, kept: dict) -> Self:
        """The same form (errors and all), showing the files now kept."""
        self.kept = kept
        for name in self.material_fields:
            field = self.fields[name]
            if isinstance(field, forms.FileField):
                field.kept = kept.get(name)
        return self

    def applicant_input(self) -> dict:
        """The applicant's part of what the form gives a submitting service."""
        data = self.cleaned_data
        return {
            "applicant_kind": data["applicant_kind"],
            "applicant_id_number": data["applicant_id_number"],
            "applicant_name": data["applicant_name"],
            "applicant_mobile": data["applicant_mobile"],
        }

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


class CaseApplicationForm(ApplicantFields):
    """Application for one item: the applicant, the item's materials and a note. Where it is
    accepted is not asked: the portal chooses (online) or it is the clerk's point (walk-in).

    ``kept``: files kept from an earlier submit that came back with errors, by field name
    (:func:`portal.uploads.kept_uploads`); such a field needs no new file."""

    note = forms.CharField(
        label=_("Note for the staff"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args,
        item: ServiceItem,
        counter: bool = False,
        kept: dict | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.item = item
        self.counter = counter
        self.kept = kept or {}
        self.shared_materials = []
        self.material_fields: list[str] = []
        self.item_materials = list(item.materials.all())
        for material in self.item_materials:
            name = f"material_{material.pk}"
            # the material in the page's language (its English name on English pages)
            title = local_name(material)
            if material.source == MaterialSource.SHARED:
                self.shared_materials.append(material)
                continue
            if material.source == MaterialSource.COMMITMENT:
                text = material.commitment_text or _(
                    "I commit that the information I have given about “%(name)s” is true."
                ) % {"name": title}
                self.fields[name] = forms.BooleanField(
                    label=text,
                    required=material.required,
                    help_text=_("Commitment: %(name)s") % {"name": title},
                    error_messages={
                        "required": _("Tick the commitment on “%(name)s” to continue.")
                        % {"name": title}
                    },
                )
            elif counter:
                self.fields[name] = forms.BooleanField(
                    label=_("Paper original received: %(name)s") % {"name": title},
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
                    label=title,
                    required=required and name not in self.kept,
                    help_text=help_text,
                    widget=forms.FileInput(attrs={"accept": ACCEPT_ATTR}),
                    error_messages={"required": _("Upload “%(name)s”.") % {"name": title}},
                )
                self.fields[name].kept = self.kept.get(name)
            if material.source == MaterialSource.APPLICANT and blank_form(material):
                self.fields[name].blank_form_url = reverse(
                    "approvals:blank_form", args=[item.code, material.pk]
                )
            self.material_fields.append(name)

    def clean(self):
        """The applicant's identity checked with the rest, so that every error shows at once
        (the service checks it again)."""
        data = super().clean()
        kind, number = data.get("applicant_kind"), data.get("applicant_id_number")
        if kind and number:
            from .services import validate_applicant

            try:
                validate_applicant(self.item, kind, number.strip().upper())
            except ValidationError as exc:
                self.apply_errors(exc)
        return data

    def case_input(self) -> dict:
        """What the form gives ``services.submit_case``: the applicant, materials and note."""
        return {
            **self.applicant_input(),
            "materials": self.materials(),
            "note": self.cleaned_data["note"],
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
                elif name in self.kept:
                    out.append({"material": material, "file": draft_file(self.kept[name])})
        return out


class MaterialChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return local_name(obj)


class AddMaterialForm(forms.Form):
    """A file added to an open case: a missing material, or a corrected one."""

    material = MaterialChoiceField(label=_("Material"), queryset=None, empty_label=None)
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
    """The inputs of one step on the case page (its ``needs``: reasons, a date for the materials
    to follow, or else an optional note). Each step's form has ids of its own (``<step>-reasons``)
    so that the error summary links to the right one (ADR 0103)."""

    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
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
        help_text=_("Leave empty for five working days from today."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, action: dict | None = None, **kwargs):
        if action is not None:
            kwargs.setdefault("auto_id", f"{action['name']}-%s")
        super().__init__(*args, **kwargs)
        if action is None:
            return
        needs = tuple(action["needs"])
        for name in ("reasons", "materials_due_on"):
            if name not in needs:
                del self.fields[name]
        if needs:
            del self.fields["note"]
        if "reasons" in self.fields:
            reasons = self.fields["reasons"]
            reasons.required = True
            reasons.error_messages["required"] = _("Give the reasons for “%(action)s”.") % {
                "action": action["label"]
            }
            if action["name"] == "hand_over":
                reasons.help_text = _(
                    "The courier marks the case delivered. Hand it over here only when the holder "
                    "collects it in person, and say why (e.g. collected at the service hall)."
                )

    def refused(self, exc: Exception) -> None:
        """Show a refused step on the form: an Invalid's messages on the fields they name, any
        other refusal as the form's own error (in the summary and above the button)."""
        errors = getattr(exc, "errors", None)
        if not errors:
            self.add_error(None, str(getattr(exc, "message", exc)))
            return
        for name, messages in errors.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, str(message))


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
