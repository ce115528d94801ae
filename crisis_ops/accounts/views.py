from __future__ import annotations

import base64
import io
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from crisis_ops.accounts import services
from crisis_ops.accounts.forms import LanguageForm, LoginForm, OwnPasswordForm, TokenForm
from crisis_ops.accounts.middleware import IDLE_REASON
from crisis_ops.audit.services import audit_record
from crisis_ops.core.typing import AuthedHttpRequest


def _safe_next(request: HttpRequest, fallback: str = settings.LOGIN_REDIRECT_URL) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return str(redirect(fallback).url)


def _set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite="Lax",
    )


# The language chosen on the sign-in page, before anyone is signed in: it wins over the
# profile's at the password step (and so on the second-factor pages after it).
SIGN_IN_LANGUAGE_KEY = "sign_in_language"


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _second_factor_passed(request: HttpRequest, device: TOTPDevice) -> None:
    """Mark the session verified under a new key and CSRF token, as Django's login does
    for the password: a key seen before the second factor must not open the account."""
    otp_login(request, device)
    request.session.cycle_key()
    rotate_token(request)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.user.is_verified():
        return redirect(_safe_next(request))
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        chosen = request.session.get(SIGN_IN_LANGUAGE_KEY)
        login(request, user)  # keeps the anonymous session's data under a new key
        request.session.pop(SIGN_IN_LANGUAGE_KEY, None)
        if chosen in dict(settings.LANGUAGES):
            # She picked it on this screen just now: it is her language from here on.
            services.user_set_language(user=user, language=chosen)
        if user.language:
            request.session["_language"] = user.language
        response = redirect(_with_next("accounts:verify", _safe_next(request)))
        _set_language_cookie(response, user.language)
        return response
    context = {
        "form": form,
        "next": _safe_next(request),
        # Why she is here again: IdleLogoutMiddleware and static/js/idle.js send reason=idle.
        "idle_minutes": int(settings.IDLE_LOGOUT_AFTER.total_seconds() // 60)
        if request.GET.get("reason") == IDLE_REASON
        else None,
    }
    return render(request, "accounts/login.html", context)


@login_required
@never_cache
def verify_view(request: AuthedHttpRequest) -> HttpResponse:
    """Second step of signing in: a code from the user's confirmed authenticator."""
    user = request.user
    next_url = _safe_next(request)
    if user.is_verified():
        return redirect(next_url)
    device = services.totp_device_confirmed(user=user)
    if device is None:
        return redirect(_with_next("accounts:enrol", next_url))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            _second_factor_passed(request, device)
            audit_record(action="auth.second_factor_verified", actor=user, obj=user)
            return redirect(next_url)
        audit_record(action="auth.second_factor_failed", actor=user, obj=user)
        if allowed:
            form.add_error("token", _("That code is not valid. Try the newest one."))
        else:
            form.add_error(
                "token", _("Too many wrong codes. Wait a little, then try the newest code.")
            )
    return render(request, "accounts/verify.html", {"form": form, "next": next_url})


def _qr_svg(config_url: str) -> str:
    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Drop the XML declaration so the SVG can sit inline in the page.
    return svg[svg.index("<svg") :]


@login_required
@never_cache
def enrol_view(request: AuthedHttpRequest) -> HttpResponse:
    """Set up an authenticator: scan the QR code, type the first code to confirm."""
    user = request.user
    next_url = _safe_next(request)
    if services.totp_device_confirmed(user=user) is not None:
        return redirect(_with_next("accounts:verify", next_url))
    device = services.totp_device_start_enrolment(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.totp_device_confirm(
                user=user, device=device, token=form.cleaned_data["token"]
            )
        except ValidationError as exc:
            for message in exc.message_dict.get("token", []):
                form.add_error("token", message)
        else:
            _second_factor_passed(request, device)
            messages.success(request, _("Your authenticator is set up."))
            return redirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": _qr_svg(device.config_url),
        "secret": _base32(device.bin_key),
    }
    return render(request, "accounts/enrol.html", context)


def _base32(key: bytes) -> str:
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@never_cache
def password_change_view(request: AuthedHttpRequest) -> HttpResponse:
    """Choose her own password: required after an admin set one, open to anyone after."""
    next_url = _safe_next(request)
    form = OwnPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.user_password_change(
            user=request.user, new_password=form.cleaned_data["new_password1"]
        )
        update_session_auth_hash(request, user)  # stays signed in, this session only
        messages.success(request, _("Your new password is set. Use it from now on."))
        return redirect(next_url)
    context = {"form": form, "next": next_url, "required": request.user.must_change_password}
    return render(request, "accounts/password_change.html", context)


class SignOutView(LogoutView):
    http_method_names = ["post", "options"]


@require_POST
def language_view(request: HttpRequest) -> HttpResponse:
    form = LanguageForm(request.POST)
    response: HttpResponse = HttpResponseRedirect(_safe_next(request))
    if not form.is_valid() or form.cleaned_data["language"] not in dict(settings.LANGUAGES):
        messages.error(request, _("Choose one of the offered languages."))
        return response
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    else:
        request.session[SIGN_IN_LANGUAGE_KEY] = language
    _set_language_cookie(response, language)
    return response
