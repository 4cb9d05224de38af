"""Pages of the bundle application: apply for a bundle (one form), and its progress page (each
case with its department and state). Thin: forms in, services and selectors out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from portal import idempotency, uploads
from portal.catalogue.bundles import selectors as catalogue_selectors
from portal.catalogue.bundles.models import Bundle

from ..models import ApplicantKind
from . import selectors, services
from .forms import BundleApplicationForm


def _bundle(code: str) -> Bundle:
    try:
        return catalogue_selectors.get_bundle(code)
    except Bundle.DoesNotExist as exc:
        raise Http404(_("There is no such one-thing bundle.")) from exc


@login_required
def apply(request: HttpRequest, code: str) -> HttpResponse:
    bundle = _bundle(code)
    user = request.user
    is_person = bundle.applicant_kind == ApplicantKind.PERSON
    initial = {
        "applicant_name": user.real_name if is_person else "",
        "applicant_id_number": user.resident_id if is_person else "",
        "applicant_mobile": user.mobile or "",
    }
    purpose = f"bundle:{bundle.code}"
    posted = request.method == "POST"
    form = BundleApplicationForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        bundle=bundle,
        initial=initial,
        kept=uploads.kept_uploads(request, purpose),
    )
    if posted and form.is_valid():
        try:
            application = services.submit_bundle(
                bundle=bundle,
                **form.bundle_input(),
                applicant_user=user,
                submission_key=idempotency.posted_key(request, purpose),
            )
        except ValidationError as exc:
            form.apply_errors(exc)
        else:
            uploads.discard_uploads(request, purpose)
            idempotency.consume(request, purpose)
            if application.resubmitted:
                messages.info(
                    request,
                    _("This form was already submitted as %(reference)s; nothing new was recorded.")
                    % {"reference": application.reference},
                )
            else:
                messages.success(
                    request,
                    _(
                        "Your application has been submitted: one case for each service, each "
                        "with its department. Its reference is %(reference)s."
                    )
                    % {"reference": application.reference},
                )
            return redirect(application.get_absolute_url())
    if posted:
        # Sent back with errors: the files that passed their checks are kept for the next try.
        uploads.keep_uploads(request, purpose, form)
        form = form.with_kept(uploads.kept_uploads(request, purpose))
    return render(
        request,
        "approvals/bundles/apply.html",
        {
            "bundle": bundle,
            "entries": list(bundle.entries.all()),
            "form": form,
            "submission_token": idempotency.form_token(request, purpose),
        },
    )


@login_required
def progress(request: HttpRequest, reference: str) -> HttpResponse:
    application = selectors.progress(reference, request.user)
    if application is None:
        raise Http404
    links = selectors.case_links(application)
    return render(
        request,
        "approvals/bundles/progress.html",
        {
            "application": application,
            "links": links,
            "open_count": selectors.open_count(links),
            "is_applicant": application.applicant_user_id == request.user.pk,
        },
    )
