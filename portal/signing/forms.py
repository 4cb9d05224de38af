from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PDF_BYTES = 20 * 1024 * 1024


class VerifyUploadForm(forms.Form):
    pdf = forms.FileField(
        label=_("PDF to check"),
        help_text=_("The PDF as you received it (at most 20 MB)."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_pdf(self) -> bytes:
        upload = self.cleaned_data["pdf"]
        if upload.size > MAX_PDF_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        data = upload.read()
        if not data.lstrip()[:5] == b"%PDF-":
            raise forms.ValidationError(_("This file is not a PDF."))
        return data
