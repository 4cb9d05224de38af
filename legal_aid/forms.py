"""Forms of the legal-aid pages: the eligibility check, the application's steps, the staff's
workflow forms and the hotline's consultation form."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.catalogue.models import Region
from portal.validators import validate_mobile, validate_resident_id, validate_visible_text

from . import deadlines
from .models import (
    Body,
    Category,
    Centre,
    Exemption,
    HotlineService,
    Lawyer,
    MatterType,
    ObjectionDecision,
    Outcome,
    RecipientGroup,
    Satisfaction,
    Urgency,
)

COMMITMENT_TEXT = _(
    "I promise that what I state about my economic situation and my matter is true and complete. "
    "I know that the centre may check it through shared government data, and that legal aid "
    "obtained by false statements is ended and its costs may be reclaimed (Legal Aid Law, "
    "articles 41 and 48)."
)


def qingdao_regions():
    return Region.objects.filter(code__startswith="3702").order_by("code")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        from django.utils import translation

        return obj.name_en if translation.get_language() == "en" else obj.name


class NamedChoiceField(forms.ModelChoiceField):
    """Centres and bodies by their name in the active language, keyed by their code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("to_field_name", "code")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        from django.utils import translation

        if translation.get_language() == "en" and getattr(obj, "name_en", ""):
            return obj.name_en
        return obj.name


def _check_body_place(cleaned: dict[str, Any], form: forms.Form) -> None:
    matter_type = cleaned.get("matter_type")
    body = cleaned.get("body")
    place = cleaned.get("place")
    if matter_type == MatterType.LITIGATION and body is None:
        form.add_error(
            "body", _("For a litigation matter, choose the court or case-handling body.")
        )
    elif matter_type == MatterType.NON_LITIGATION and body is None and place is None:
        form.add_error(
            "place",
            _("Choose the body handling the dispute, or the place where the matter arose."),
        )


class EligibilityForm(forms.Form):
    matter_type = forms.ChoiceField(
        label=_("Is your matter before a court or case-handling body?"),
        choices=MatterType.choices,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices)
    body = NamedChoiceField(
        label=_("Court or body handling it"),
        queryset=Body.objects.order_by("code"),
        required=False,
        empty_label=_("None yet / not known"),
    )
    place = RegionChoiceField(
        label=_("Where did the matter arise?"),
        queryset=qingdao_regions(),
        required=False,
        empty_label=_("Choose a district"),
        help_text=_("Needed for a non-litigation matter without a dispute-handling body."),
    )
    exemption = forms.ChoiceField(
        label=_("Does one of these apply to you?"),
        choices=Exemption.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    hardship = forms.ChoiceField(
        label=_("Is your household in economic hardship?"),
        help_text=_("Roughly: income at or below the local minimum-wage standard per person."),
        choices=[("yes", _("Yes")), ("no", _("No")), ("unsure", _("Not sure"))],
        widget=forms.RadioSelect,
        required=False,
    )
    limitation_ends = forms.DateField(
        label=_("When does the limitation period or time limit end?"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty if you do not know."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _check_body_place(cleaned, self)
        if not cleaned.get("exemption") and not cleaned.get("hardship"):
            self.add_error("hardship", _("Answer this question or choose an exemption."))
        return cleaned


# --- the application's steps -------------------------------------------------------------


class ApplicantStep(forms.Form):
    applicant_name = forms.CharField(
        label=_("Your name"), max_length=64, validators=[validate_visible_text]
    )
    resident_id = forms.CharField(
        label=_("Resident identity number"),
        max_length=18,
        min_length=18,
        validators=[validate_resident_id],
        help_text=_("18 characters, the last may be X."),
    )
    phone = forms.CharField(label=_("Mobile number"), max_length=11, validators=[validate_mobile])
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    residence = RegionChoiceField(
        label=_("District where you live"),
        queryset=qingdao_regions(),
        required=False,
        empty_label=_("Choose a district"),
    )
    recipient_group = forms.ChoiceField(
        label=_("Do you belong to one of these groups?"),
        choices=RecipientGroup.choices,
        required=False,
        help_text=_("Counted in the statistics only, never shown with your name."),
    )

    def clean_resident_id(self) -> str:
        return self.cleaned_data["resident_id"].strip().upper()


class MatterStep(forms.Form):
    matter_type = forms.ChoiceField(
        label=_("Matter type"), choices=MatterType.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    opposing_party = forms.CharField(
        label=_("Opposing party"),
        max_length=128,
        required=False,
        validators=[validate_visible_text],
    )
    body = NamedChoiceField(
        label=_("Court or case-handling body"),
        queryset=Body.objects.order_by("code"),
        required=False,
        empty_label=_("None yet"),
    )
    place = RegionChoiceField(
        label=_("Where the matter arose"),
        queryset=qingdao_regions(),
        required=False,
        empty_label=_("Choose a district"),
    )
    arose_on = forms.DateField(label=_("When it arose"), required=False, widget=DateInput())
    facts = forms.CharField(
        label=_("What happened and what you ask for"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    urgency = forms.ChoiceField(label=_("Is it urgent?"), choices=Urgency.choices, required=False)
    limitation_ends = forms.DateField(
        label=_("Limitation period or time limit ends on"), required=False, widget=DateInput()
    )
    accepting_centre = NamedChoiceField(
        label=_("Hand in at"),
        queryset=Centre.objects.order_by("code"),
        required=False,
        empty_label=_("Online (no centre)"),
        help_text=_(
            "You may hand the application in at any of the 21 centres, or online; it reaches the "
            "competent centre either way."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _check_body_place(cleaned, self)
        arose_on = cleaned.get("arose_on")
        if arose_on and arose_on > timezone.localdate():
            self.add_error("arose_on", _("This date is in the future."))
        if cleaned.get("urgency") == Urgency.LIMITATION and not cleaned.get("limitation_ends"):
            self.add_error("limitation_ends", _("Give the date the limitation period ends."))
        return cleaned


class HardshipStep(forms.Form):
    exemption = forms.ChoiceField(
        label=_("Exemption from the hardship condition or its check"),
        choices=Exemption.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    hardship_statement = forms.CharField(
        label=_("Your economic situation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=_("Income, household, debts: no certificate is needed."),
    )
    household_size = forms.IntegerField(
        label=_("People in your household"), min_value=1, max_value=20, required=False
    )
    monthly_income = forms.IntegerField(
        label=_("Household income per month (yuan)"), min_value=0, required=False
    )
    commitment = forms.BooleanField(label=COMMITMENT_TEXT, required=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("exemption") and not (cleaned.get("hardship_statement") or "").strip():
            self.add_error(
                "hardship_statement",
                _("State your economic hardship, or choose the exemption that applies to you."),
            )
        return cleaned


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPG or PNG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    description = forms.CharField(
        label=_("What is it?"),
        max_length=120,
        required=False,
        help_text=_("For example: labour contract, wage slips, identity card."),
    )

    def clean_file(self):
        from portal.uploads import check_upload

        upload = self.cleaned_data["file"]
        check_upload(upload)
        return upload


STEP_FORMS: dict[int, type[forms.Form]] = {1: ApplicantStep, 2: MatterStep, 3: HardshipStep}


class WalkInForm(ApplicantStep, MatterStep, HardshipStep):
    """The online steps' fields on one page, for staff typing in the application of a person
    at the counter: their own centre accepts it, so there is no centre to choose."""

    accepting_centre = None
    field_order = [*ApplicantStep.base_fields, *MatterStep.base_fields, *HardshipStep.base_fields]

    LABELS = {
        "applicant_name": _("Applicant's name"),
        "phone": _("Applicant's mobile number"),
        "address": _("Applicant's address"),
        "residence": _("District where the applicant lives"),
        "facts": _("What happened and what the applicant asks for"),
        "hardship_statement": _("The applicant's economic situation"),
        "household_size": _("People in the applicant's household"),
        "commitment": _(
            "The applicant has read and signed the commitment that what they state is true and "
            "complete (Legal Aid Law, articles 41 and 48)."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in self.LABELS.items():
            self.fields[name].label = label
        self.fields["hardship_statement"].help_text = _(
            "Income, household, debts, as the applicant states them: no certificate is needed."
        )


def to_json(cleaned: dict[str, Any]) -> dict[str, Any]:
    """Cleaned data as JSON for the draft: models by primary key, dates in ISO format."""
    out: dict[str, Any] = {}
    for key, value in cleaned.items():
        if hasattr(value, "pk"):
            out[key] = str(getattr(value, "code", value.pk))
        elif isinstance(value, datetime.date):
            out[key] = value.isoformat()
        elif value is None:
            out[key] = ""
        else:
            out[key] = value
    return out


# --- staff --------------------------------------------------------------------------------


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class RequestMaterialsForm(forms.Form):
    items = forms.CharField(
        label=_("Every missing material, one per line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("You can ask only once, so list everything."),
    )
    days = forms.IntegerField(
        label=_("Days the applicant has to supply them"),
        initial=deadlines.MATERIALS_DAYS_DEFAULT,
        min_value=deadlines.MATERIALS_DAYS_MIN,
        max_value=deadlines.MATERIALS_DAYS_MAX,
    )

    def clean_items(self) -> list[str]:
        items = [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]
        if not items:
            raise ValidationError(_("List at least one material."))
        return items


class ReasonsForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )


class GrantForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class AssignForm(forms.Form):
    lawyer = forms.ModelChoiceField(label=_("Lawyer"), queryset=Lawyer.objects.none())
    reason = forms.CharField(
        label=_("Reason for choosing by hand"),
        help_text=_("Needed when the centre allocates by its rota: the log keeps it."),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, centre: Centre, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lawyer"].queryset = Lawyer.objects.filter(
            centre=centre, is_active=True
        ).order_by("name")


class ProgressForm(forms.Form):
    text = forms.CharField(
        label=_("Progress (the applicant sees this)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ObjectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=ObjectionDecision.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))


class ObjectionForm(forms.Form):
    text = forms.CharField(
        label=_("Why do you disagree with the decision?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )


class SupplyForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, JPG or PNG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    description = forms.CharField(label=_("What is it?"), max_length=120, required=False)

    def clean_file(self):
        from portal.uploads import check_upload

        upload = self.cleaned_data.get("file")
        if upload:
            check_upload(upload)
        return upload


from portal.ratings.forms import RatingForm  # noqa: E402, F401 - the core rating form


class CallDurationField(forms.CharField):
    """A call's length as staff say it: "5:30" (minutes:seconds), "5" (minutes), "5分30秒",
    "5分", "30秒"; cleaned to seconds (issue 14 point 9: staff typed seconds)."""

    PATTERNS = (
        re.compile(r"^(?P<m>\d{1,4})\s*[:：]\s*(?P<s>[0-5]?\d)$"),
        re.compile(r"^(?P<m>\d{1,4})$"),
        re.compile(r"^(?:(?P<m>\d{1,4})\s*分(?:钟)?)?\s*(?:(?P<s>\d{1,2})\s*秒)?$"),
    )

    def to_python(self, value):
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        for pattern in self.PATTERNS:
            match = pattern.match(text)
            if match and (match.group("m") or match.groupdict().get("s")):
                minutes = int(match.group("m") or 0)
                seconds = int(match.groupdict().get("s") or 0)
                if seconds > 59:
                    break
                total = minutes * 60 + seconds
                if total > 24 * 3600:
                    break
                return total
        raise ValidationError(
            _("Write the length as minutes:seconds (5:30) or whole minutes (5)."), code="invalid"
        )


class ConsultationForm(forms.Form):
    caller_name = forms.CharField(
        label=_("Caller's name"), max_length=64, required=False, validators=[validate_visible_text]
    )
    caller_phone = forms.CharField(label=_("Caller's phone"), max_length=20)
    service = forms.ChoiceField(
        label=_("Topic"),
        choices=HotlineService.choices,
        initial=HotlineService.LEGAL_AID,
        required=False,  # legal aid when not given (the hotline system's older clients)
    )
    topic = forms.ChoiceField(
        label=_("Legal-aid category"),
        choices=[("", _("— (not a legal-aid question)")), *list(Category.choices)],
        required=False,
        help_text=_("For a legal-aid question: the category of the matter."),
    )
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))
    duration = CallDurationField(
        label=_("Length of the call"),
        required=False,
        help_text=_("Minutes and seconds, e.g. 5:30, or whole minutes, e.g. 5."),
    )
    # the length in seconds, as the 12348 system's own pages and older forms send it
    duration_seconds = forms.IntegerField(
        required=False, min_value=0, max_value=24 * 3600, widget=forms.HiddenInput
    )
    suggest_application = forms.BooleanField(
        label=_("The caller may be eligible: send them a link to apply"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        duration = cleaned.pop("duration", None)
        if duration is not None:
            cleaned["duration_seconds"] = duration
        elif cleaned.get("duration_seconds") is None and "duration" not in self.errors:
            self.add_error("duration", _("Give the length of the call, e.g. 5:30."))
        return cleaned


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Were you satisfied with the answer to your call?"),
        choices=Satisfaction.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )


class StatisticsFilter(forms.Form):
    date_from = forms.DateField(
        label=pgettext_lazy("statistics period", "From"), required=False, widget=DateInput()
    )
    date_to = forms.DateField(
        label=pgettext_lazy("statistics period", "To"), required=False, widget=DateInput()
    )
