from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from portal.validators import validate_mobile

from . import services
from .models import User


class CodeLoginForm(forms.Form):
    """Sign in with a mobile number and a code sent by SMS. ``action`` says which button was
    pressed: ``send`` asks for a code, ``verify`` signs in."""

    mobile = forms.CharField(
        label=_("Mobile number"),
        max_length=11,
        validators=[validate_mobile],
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel", "inputmode": "numeric"}
        ),
    )
    code = forms.CharField(
        label=_("Verification code"),
        required=False,
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("The code has 6 digits."))],
        help_text=_("The 6-digit code we sent you by SMS. It is valid for 5 minutes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": r"\d{6}"}
        ),
    )

    def __init__(self, *args, action: str = "send", **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.user: User | None = None

    def clean(self):
        cleaned = super().clean()
        if self.action == "verify" and "mobile" in cleaned and not self.errors.get("code"):
            if not cleaned.get("code"):
                self.add_error("code", _("Enter the code we sent you."))
            else:
                try:
                    self.user = services.sign_in_with_code(cleaned["mobile"], cleaned["code"])
                except forms.ValidationError as exc:
                    self.add_error("code", exc)
        return cleaned


class PasswordLoginForm(AuthenticationForm):
    """Username or mobile number, and password."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Username or mobile number")
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        # The code section comes first on the page: do not pull focus past it.
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.fields["password"].label = _("Password")

    def clean_username(self):
        return services.find_user_for_password_login(self.cleaned_data.get("username", ""))


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["real_name", "resident_id", "email"]
        help_texts = {
            "real_name": _("Your name as on your identity card."),
            "resident_id": _("18 characters; the last one may be X."),
        }
        widgets = {
            "real_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "resident_id": forms.TextInput(attrs={"autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_resident_id(self):
        return (self.cleaned_data.get("resident_id") or "").strip().upper()
