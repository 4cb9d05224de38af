"""Sign in (code or password), sign out, profile."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from portal.context_processors import work_links
from portal.net import client_ip
from portal.validators import mask_identifier

from . import services, unified
from .forms import CodeLoginForm, PasswordLoginForm, ProfileForm
from .models import CodePurpose

MODEL_BACKEND = "portal.accounts.backends.ModelBackend"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _landing(request: HttpRequest) -> str:
    """Where sign-in leads: the ``next`` asked for, else the user's work page (staff land where
    they work: the apps register these pages), else the home page."""
    target = _next_url(request)
    if target:
        return target
    pages = work_links(request.user)
    return pages[0][0] if pages else resolve_url(settings.LOGIN_REDIRECT_URL)


def login_view(request: HttpRequest) -> HttpResponse:
    """One page, two ways in: a code by SMS, or a password. Works without JavaScript: each
    button posts the form and the page comes back with the next step."""
    method = request.POST.get("method") if request.method == "POST" else None
    action = request.POST.get("action", "send")
    code_form = CodeLoginForm(prefix="code", action=action)
    password_form = PasswordLoginForm(request, prefix="password")
    code_sent = False
    active = request.GET.get("tab", "code")
    if method == "code":
        active = "code"
        code_form = CodeLoginForm(request.POST, prefix="code", action=action)
        if code_form.is_valid():
            if action == "verify":
                login(request, code_form.user, backend=MODEL_BACKEND)
                return redirect(_landing(request))
            mobile = code_form.cleaned_data["mobile"]
            try:
                services.check_ip_quota(client_ip(request))
                services.issue_code(mobile, CodePurpose.LOGIN)
            except ValidationError as exc:
                code_form.add_error("mobile", exc)
            else:
                code_sent = True
                messages.success(
                    request,
                    _("We sent a code to %(mobile)s. Enter it below.")
                    % {"mobile": mask_identifier(mobile)},
                )
    elif method == "password":
        active = "password"
        password_form = PasswordLoginForm(request, data=request.POST, prefix="password")
        if password_form.is_valid():
            login(request, password_form.get_user(), backend=MODEL_BACKEND)
            return redirect(_landing(request))
    return render(
        request,
        "accounts/login.html",
        {
            "code_form": code_form,
            "password_form": password_form,
            "code_sent": code_sent,
            "verify_stage": code_sent or (method == "code" and action == "verify"),
            "active": active,
            "next": _next_url(request),
            "show_outbox": settings.DEBUG,
            "unified_url": unified.sign_in_url(_next_url(request)) if unified.is_enabled() else "",
        },
        status=400 if method and not code_sent else 200,
    )


class LogoutView(auth_views.LogoutView):
    http_method_names = ["post", "options"]


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            request.user,
            real_name=form.cleaned_data["real_name"],
            resident_id=form.cleaned_data["resident_id"],
            email=form.cleaned_data["email"],
        )
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "masked_mobile": mask_identifier(request.user.mobile or "")},
        status=400 if request.method == "POST" else 200,
    )
