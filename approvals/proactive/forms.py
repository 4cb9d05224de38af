"""Forms of the applicant's path: no more than the choices the three interactions need."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DeliveryMethod


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(
        label=_("How should the new certificate reach you?"),
        choices=DeliveryMethod.choices,
        initial=DeliveryMethod.COURIER,
        widget=forms.RadioSelect,
        help_text=_("The courier brings the new certificate and takes the old one back."),
    )
    address = forms.CharField(
        label=_("Courier address"),
        max_length=300,
        required=False,
        help_text=_(
            "The registered address is filled in; change it if the courier should go elsewhere. "
            "Not needed for pick-up."
        ),
    )
    recipient = forms.CharField(
        label=_("Recipient"),
        max_length=64,
        required=False,
        help_text=_("Who receives the certificate; left empty, the contact this link was sent to."),
    )

    def clean(self):
        data = super().clean()
        if data.get("method") == DeliveryMethod.COURIER and not (data.get("address") or "").strip():
            self.add_error("address", _("Give the address the courier should come to."))
        return data


class DeclineForm(forms.Form):
    REASONS = [
        ("", _("No reason given")),
        ("not_needed", _("We do not need this certificate any more")),
        ("handled", _("We have already applied")),
        ("later", _("We will apply later ourselves")),
    ]
    reason = forms.ChoiceField(
        label=_("Why do you decline? (optional)"), choices=REASONS, required=False
    )
