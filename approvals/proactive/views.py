"""Pages: the applicant's three interactions, the public verification page, the certificate PDF
and the staff dashboard. Thin: the rules live in services, identity and prefill."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import BadSignature, SignatureExpired
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.accounts.permissions import is_administrator, is_department_staff
from portal.errors import error_response
from portal.pdf import pdf_bytes_response
from portal.signing import selectors as signing_selectors
from portal.signing.services import SigningFailed
from portal.signing.views import verdict_context
from portal.validators import mask_identifier

from . import identity, selectors, services, wording
from .forms import DeclineForm, DeliveryForm
from .models import Certificate, CertificateStatus, ContactPerson, Offer
from .prefill import build_application

STEPS = 3
SESSION_KEY = "proactive"


def _link_next_steps(request: HttpRequest) -> list[tuple[str, str]]:
    """Where to go from a link that no longer works: the offers wait in the portal's inbox."""
    inbox = reverse("notifications:inbox")
    if request.user.is_authenticated:
        return [(inbox, _("See my offers in my messages"))]
    return [(f"{reverse('accounts:login')}?next={inbox}", _("Sign in and see my offers"))]


def _load(request: HttpRequest, signed: str) -> tuple[Offer, ContactPerson] | HttpResponse:
    try:
        return services.unsign_link(signed)
    except SignatureExpired:
        return error_response(
            request,
            410,
            _(
                "For your safety the links we send are valid for a limited time. If the offer "
                "is still open, you will find it in your messages on this portal; or call 12345."
            ),
            code="offer_link_expired",
            heading=_("This link has expired"),
            next_steps=_link_next_steps(request),
        )
    except (BadSignature, ValueError, Offer.DoesNotExist, ContactPerson.DoesNotExist):
        # Most often a text message that cut the long link short.
        return error_response(
            request,
            404,
            _(
                "This offer link is incomplete or damaged: text messages sometimes cut long "
                "links short. Copy the whole link from the message, or find the offer in your "
                "messages on this portal; or call 12345."
            ),
            code="offer_link_broken",
            heading=_("This link is incomplete"),
            next_steps=_link_next_steps(request),
        )


def _state(request: HttpRequest, offer: Offer) -> dict:
    return request.session.get(SESSION_KEY, {}).get(str(offer.pk), {})


def _save_state(request: HttpRequest, offer: Offer, **values) -> None:
    store = request.session.get(SESSION_KEY, {})
    store[str(offer.pk)] = {**store.get(str(offer.pk), {}), **values}
    request.session[SESSION_KEY] = store


def _verified(request: HttpRequest, offer: Offer, contact: ContactPerson) -> bool:
    return _state(request, offer).get("contact") == contact.pk


def verified_offers(request: HttpRequest) -> list[int]:
    """The offers whose identity step the visitor passed in this session. The session also holds
    offers where a code was only asked for (``started``): those prove nothing."""
    verified = []
    for key, state in request.session.get(SESSION_KEY, {}).items():
        if isinstance(state, dict) and state.get("contact") and str(key).isdigit():
            verified.append(int(key))
    return verified


def _context(offer: Offer, contact: ContactPerson, signed: str, step: int, **extra) -> dict:
    return {
        "offer": offer,
        "contact": contact,
        "masked_mobile": mask_identifier(contact.mobile),
        "signed": signed,
        "step": step,
        "steps": STEPS,
        "step_names": [_("Verify identity"), _("Confirm the application"), _("Delivery")],
        "offer_lead": wording.lead(offer),
        **extra,
    }


def _closed(request: HttpRequest, offer: Offer, contact: ContactPerson, signed: str):
    """The page for an offer that can no longer be answered."""
    return render(request, "proactive/offer_closed.html", _context(offer, contact, signed, 0))


def _step(
    request: HttpRequest, signed: str, *, verified: bool = True, open_only: bool = True
) -> tuple[Offer, ContactPerson] | HttpResponse:
    """The offer and contact of a signed link, or the page to show instead: the expired-link
    page, the identity step for a visitor not verified yet, the closed page once answered."""
    loaded = _load(request, signed)
    if isinstance(loaded, HttpResponse):
        return loaded
    offer, contact = loaded
    if verified and not _verified(request, offer, contact):
        return redirect("proactive:offer", signed=signed)
    if open_only and not offer.is_open:
        return _closed(request, offer, contact, signed)
    return offer, contact


def _unified_sign_in(request: HttpRequest, offer: Offer, contact: ContactPerson, unified) -> str:
    """Back from the province's platform (or signed in through it before): a sign-in at the
    level the offer needs, by the contact, passes the identity step (interaction 1 of 3).
    Returns "verified", the refusal's code ("level": a step-up is needed), or ""."""
    if unified is None or not unified.session_level(request):
        return ""
    try:
        unified.verify_session(request, offer, contact)
    except ValidationError as exc:
        if exc.code != "level":
            messages.error(request, " ".join(exc.messages))
        return exc.code or "refused"
    request.session.cycle_key()
    _save_state(
        request,
        offer,
        contact=contact.pk,
        provider=unified.slug,
        level=unified.session_level(request),
    )
    return "verified"


def _focus_first_field(form, started: bool) -> None:
    if form is not None and (started or form.errors):
        # The code has been sent (or was wrong): the cursor waits in the first field.
        first = next(iter(form.fields), None)
        if first:
            form.fields[first].widget.attrs["autofocus"] = True


def _chosen_provider(request: HttpRequest, providers: list, unified):
    chosen = (
        request.POST.get("provider")
        or request.GET.get("provider")
        # the platform first when it is on: one sign-in there, with the face check, is the step
        or (unified.slug if unified else "")
        or (providers[0].slug if providers else "")
    )
    return next((p for p in providers if p.slug == chosen), None)


@require_http_methods(["GET", "POST"])
def offer_identity(request: HttpRequest, signed: str) -> HttpResponse:
    """Interaction 1 of 3: prove to be the company's contact."""
    loaded = _step(request, signed, verified=False)
    if isinstance(loaded, HttpResponse):
        return loaded
    offer, contact = loaded
    offer = services.open_offer(offer, contact)
    if _verified(request, offer, contact):
        return redirect("proactive:offer_application", signed=signed)
    providers = identity.enabled_providers(contact, offer)
    unified = next((p for p in providers if p.slug == "unified_identity"), None)
    unified_problem = _unified_sign_in(request, offer, contact, unified)
    if unified_problem == "verified":
        return redirect("proactive:offer_application", signed=signed)
    provider = _chosen_provider(request, providers, unified)
    form = provider.form_class() if provider else None
    notice = ""
    if request.method == "POST" and provider is not None:
        action = request.POST.get("action")
        if action == "start":
            try:
                notice = provider.start(offer, contact)
                _save_state(request, offer, started=provider.slug)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        elif action == "verify":
            form = provider.form_class(request.POST)
            if form.is_valid():
                try:
                    provider.verify(offer, contact, form.cleaned_data)
                except ValidationError as exc:
                    # A one-field form (the SMS code): the error belongs to that field, so the
                    # input is marked invalid and the message is read out with it.
                    form.add_error(next(iter(form.fields)) if len(form.fields) == 1 else None, exc)
                else:
                    request.session.cycle_key()
                    _save_state(request, offer, contact=contact.pk, provider=provider.slug)
                    return redirect("proactive:offer_application", signed=signed)
    started = _state(request, offer).get("started") == (provider.slug if provider else None)
    _focus_first_field(form, started)
    return render(
        request,
        "proactive/step_identity.html",
        _context(
            offer,
            contact,
            signed,
            1,
            providers=providers,
            provider=provider,
            form=form,
            notice=notice,
            started=started,
            face_required=offer.rule.identity_level == "face",
            step_up=unified_problem == "level",
            sign_in_url=unified.sign_in_url(offer, request.path) if unified else "",
        ),
    )


@require_http_methods(["GET", "POST"])
def offer_application(request: HttpRequest, signed: str) -> HttpResponse:
    """Interaction 2 of 3: the pre-filled application; confirm it or decline."""
    loaded = _step(request, signed)
    if isinstance(loaded, HttpResponse):
        return loaded
    offer, contact = loaded
    decline_form = DeclineForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("action") == "decline" and decline_form.is_valid():
            try:
                services.decline_offer(offer.pk, contact, decline_form.cleaned_data["reason"])
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("proactive:offer_done", signed=signed)
        if request.POST.get("action") == "confirm":
            _save_state(request, offer, reviewed=True)
            return redirect("proactive:offer_delivery", signed=signed)
    return render(
        request,
        "proactive/step_application.html",
        _context(
            offer,
            contact,
            signed,
            2,
            application=build_application(offer),
            decline_form=decline_form,
        ),
    )


@require_http_methods(["GET", "POST"])
def offer_delivery(request: HttpRequest, signed: str) -> HttpResponse:
    """Interaction 3 of 3: courier to an address (the registered one pre-filled) or pick-up.
    Submitting confirms the application and opens the case."""
    loaded = _step(request, signed)
    if isinstance(loaded, HttpResponse):
        return loaded
    offer, contact = loaded
    if not _state(request, offer).get("reviewed"):
        return redirect("proactive:offer_application", signed=signed)
    initial = {"address": offer.holder.address, "recipient": contact.name, "method": "courier"}
    form = DeliveryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_offer(offer.pk, contact, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("proactive:offer_done", signed=signed)
    return render(
        request, "proactive/step_delivery.html", _context(offer, contact, signed, 3, form=form)
    )


def offer_done(request: HttpRequest, signed: str) -> HttpResponse:
    loaded = _step(request, signed, open_only=False)
    if isinstance(loaded, HttpResponse):
        return loaded
    offer, contact = loaded
    return render(request, "proactive/offer_closed.html", _context(offer, contact, signed, 0))


@require_http_methods(["GET", "POST"])
def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    """Public: is this certificate valid? Holder, type, dates; no personal data. A PDF posted
    here is checked against its electronic seal (portal.signing); a code of another kind of
    document goes to the seal's own verify page."""
    certificate = (
        Certificate.objects.select_related("type", "company", "person", "superseded_by")
        .filter(verification_code=code.upper())
        .first()
    )
    if certificate is None and signing_selectors.document_by_code(code):
        return redirect("signing:verify", code=code.upper())
    status = 200 if certificate else 404
    return render(
        request,
        "proactive/verify.html",
        {
            "certificate": certificate,
            "code": code,
            # a company's name is public; a person's is masked on this public page
            "holder_name": (
                certificate.company.name
                if certificate and certificate.company_id
                else certificate.person.name[:1] + "*" * (len(certificate.person.name) - 1)
                if certificate
                else ""
            ),
            "is_valid": bool(certificate and certificate.status == CertificateStatus.VALID),
            **verdict_context(request),
        },
        status=status,
    )


def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    """The certificate PDF, for staff and the holder's contacts (signed in or verified)."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("type", "company"), verification_code=code.upper()
    )
    if not selectors.may_download_certificate(request.user, certificate, verified_offers(request)):
        return render(
            request,
            "proactive/forbidden.html",
            {"code": certificate.verification_code},
            status=403,
        )
    try:
        certificate = services.ensure_certificate_pdf(certificate.pk)
    except SigningFailed as exc:  # a certificate issued before the seal, sealed now
        messages.error(request, _("The certificate PDF could not be issued: %s") % exc)
        return redirect("proactive:verify", code=certificate.verification_code)
    with certificate.pdf.open("rb") as handle:
        return pdf_bytes_response(handle.read(), f"{certificate.number}.pdf", inline=True)


def _reviews_offers(user) -> bool:
    return is_administrator(user) or is_department_staff(user)


def dashboard(request: HttpRequest) -> HttpResponse:
    """The funnel of the offers the viewer may see: administrators all, department staff their
    department's. Visitors are sent to the portal's sign-in; anyone else signed in is refused
    (403), not sent round to a sign-in page they have already passed (issue 14, point 7)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _reviews_offers(request.user):
        raise PermissionDenied
    context = selectors.dashboard(request.user)
    context["failed_orders"] = selectors.failed_orders(request.user).count()
    return render(request, "proactive/dashboard.html", context)


@login_required
@require_POST
def shipment_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """The holder's or staff's choice after a failed delivery: a new attempt or a pick-up."""
    from portal.access import policy_for
    from portal.workflow import Refused

    from .models import Shipment

    actions = {"retry": services.try_again, "pickup": services.pick_up_instead}
    shipment = policy_for(Shipment).filter(Shipment.objects.filter(pk=pk), request.user).first()
    if shipment is None or step not in actions:
        raise Http404
    try:
        actions[step](shipment.pk, request.user)
    except Refused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("A new delivery attempt is being ordered.")
            if step == "retry"
            else _("The courier is cancelled: pick the certificate up at the service hall."),
        )
    return redirect("approvals:case_detail", shipment.case_reference)
