"""The bundle application's form: the applicant's fields once, and each material of the bundle
once (the union of its items' materials, one per kind and name)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from portal.catalogue.bundles.models import Bundle
from portal.catalogue.bundles.selectors import BundleMaterial, bundle_materials
from portal.catalogue.forms import local_name
from portal.catalogue.models import MaterialSource
from portal.uploads import MAX_UPLOAD_BYTES, draft_file

from ..forms import ACCEPT_ATTR, ApplicantFields


class BundleApplicationForm(ApplicantFields):
    """``kept``: files kept from an earlier submit that came back with errors, by field name
    (:func:`portal.uploads.kept_uploads`); such a field needs no new file."""

    note = forms.CharField(
        label=_("Note for the staff"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, bundle: Bundle, kept: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.bundle = bundle
        self.kept = kept or {}
        # A life event's bundle is applied for by a person, a business event's by a company.
        kind = self.fields["applicant_kind"]
        kind.choices = [c for c in kind.choices if c[0] == bundle.applicant_kind]
        kind.initial = bundle.applicant_kind
        self.groups: list[BundleMaterial] = bundle_materials(bundle)
        self.shared_materials: list[BundleMaterial] = []
        self.material_fields: list[str] = []
        for group in self.groups:
            name = f"material_{group.pk}"
            label = local_name(group)
            items = pgettext("list separator", ", ").join(
                dict.fromkeys(local_name(item) for item in group.items)
            )
            used_by = _("Used for: %(items)s") % {"items": items}
            if group.source == MaterialSource.SHARED:
                self.shared_materials.append(group)
                continue
            if group.source == MaterialSource.COMMITMENT:
                text = group.commitment_text or _(
                    "I commit that the information I have given about “%(name)s” is true."
                ) % {"name": label}
                self.fields[name] = forms.BooleanField(
                    label=text,
                    required=group.required,
                    help_text=_("Commitment (告知承诺): %(name)s") % {"name": label}
                    + " "
                    + used_by,
                    error_messages={
                        "required": _("Tick the commitment on “%(name)s” to continue.")
                        % {"name": label}
                    },
                )
            else:
                # Required unless every item that asks for it accepts it later.
                required = any(
                    member.required and not item.missing_materials_allowed
                    for member, item in zip(group.members, group.items, strict=True)
                )
                help_text = _("PDF, JPG or PNG, at most %(mb)d MB.") % {
                    "mb": MAX_UPLOAD_BYTES // (1024 * 1024)
                }
                if group.note:
                    help_text = f"{group.note} {help_text}"
                self.fields[name] = forms.FileField(
                    label=label,
                    required=required and name not in self.kept,
                    help_text=f"{help_text} {used_by}",
                    widget=forms.FileInput(attrs={"accept": ACCEPT_ATTR}),
                    error_messages={"required": _("Upload “%(name)s”.") % {"name": label}},
                )
                self.fields[name].kept = self.kept.get(name)
            self.material_fields.append(name)

    def clean(self):
        """The applicant checked against every item with the rest, so that every error shows at
        once (the service checks it again)."""
        data = super().clean()
        kind, number = data.get("applicant_kind"), data.get("applicant_id_number")
        if kind and number:
            from .services import check_applicant

            try:
                check_applicant(
                    self.bundle, kind, number.strip().upper(), data.get("applicant_name") or "-"
                )
            except ValidationError as exc:
                self.apply_errors(exc)
        return data

    def bundle_input(self) -> dict:
        """What the form gives ``submit_bundle``: the applicant, materials by group, note."""
        return {
            **self.applicant_input(),
            "materials": self.materials(),
            "note": self.cleaned_data["note"],
        }

    def materials(self) -> dict[int, dict]:
        out: dict[int, dict] = {}
        for group in self.groups:
            name = f"material_{group.pk}"
            value = self.cleaned_data.get(name)
            if group.source == MaterialSource.COMMITMENT:
                out[group.pk] = {"committed": bool(value)}
            elif group.source == MaterialSource.APPLICANT:
                if value:
                    out[group.pk] = {"file": value}
                elif name in self.kept:
                    out[group.pk] = {"file": draft_file(self.kept[name])}
        return out
