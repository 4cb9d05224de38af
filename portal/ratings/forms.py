from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Score


class RatingForm(forms.Form):
    """A 1-5 choice (非常不满意 … 非常满意) as radio buttons, and an optional comment. Render it
    with ``{% include "ratings/includes/rating_form.html" %}`` (context: ``rating_form``,
    ``rating_action``) and pass ``cleaned_data`` to ``portal.ratings.services.rate``."""

    score = forms.TypedChoiceField(
        label=_("How satisfied are you with how this case was handled?"),
        choices=[(value, label) for value, label in reversed(Score.choices)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how satisfied you are.")},
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Optional. If you are dissatisfied, the department will look into it."),
    )
