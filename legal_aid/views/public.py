from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from portal.workflow import NotFound, NotNow

from .. import permissions as perms
from .. import selectors, services
from ..forms import EligibilityForm, SurveyForm
from ..models import Exemption


def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "is_staff_member": perms.is_staff_member(user),
        "can_view_statistics": perms.can_view_statistics(user),
        "consultations": list(selectors.consultations_for_caller(user)[:10])
        if user.is_authenticated
        else [],
        "centres": selectors.centres().filter(kind="centre"),
    }
    return render(request, "legal_aid/home.html", context)


def check(request: HttpRequest) -> HttpResponse:
    """The public eligibility check: no account needed, nothing stored."""
    result = None
    form = EligibilityForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.eligibility(
                matter_type=data["matter_type"],
                category=data["category"],
                exemption=data.get("exemption") or "",
                hardship=data.get("hardship") or "",
                body=data.get("body"),
                place=data.get("place"),
                limitation_ends=data.get("limitation_ends"),
                urgency=data.get("urgency") or "",
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
    if result is not None and form.cleaned_data.get("exemption"):
        result["exemption_label"] = Exemption(form.cleaned_data["exemption"]).label
    return render(request, "legal_aid/check.html", {"form": form, "result": result})


@never_cache
def survey(request: HttpRequest, token: str) -> HttpResponse:
    """The one-question survey after a 12348 call, reached by the signed link in the SMS: no
    sign-in; the link names the call and nothing about the caller is shown."""
    try:
        consultation = services.consultation_for_survey(token)
    except NotFound as error:
        return render(request, "legal_aid/survey.html", {"error": error.message}, status=404)
    form = SurveyForm(request.POST or None)
    answered = consultation.survey_answered_at is not None
    status = 200
    if request.method == "POST" and not answered:
        if form.is_valid():
            with contextlib.suppress(ValidationError, NotNow):
                services.answer_survey(token, form.cleaned_data["score"])
            answered = True
        else:
            status = 400
    return render(
        request,
        "legal_aid/survey.html",
        {"form": form, "answered": answered, "consultation": consultation},
        status=status,
    )
