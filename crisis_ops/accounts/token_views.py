"""Pages for API tokens: one's own, and an org admin's view of her members' tokens.

Behind the second factor like every page (``RequireSecondFactorMiddleware``).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from crisis_ops.accounts import tokens
from crisis_ops.accounts.forms import ApiTokenForm
from crisis_ops.core.forms import add_service_errors
from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.organisations.roles import Role
from crisis_ops.organisations.selectors import organisations_for_user


@login_required
@never_cache
def token_list(request: AuthedHttpRequest) -> HttpResponse:
    """Her own tokens and a form for a new one; the new key is shown on this answer only."""
    form = ApiTokenForm(request.POST or None)
    created_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, created_key = tokens.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                lifetime=timedelta(days=form.cleaned_data["expires_in_days"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "created_key": created_key,
        "tokens": tokens.api_token_list_for_user(user=request.user),
        "is_org_admin": organisations_for_user(user=request.user, role=Role.ORG_ADMIN).exists(),
    }
    return render(request, "accounts/tokens.html", context)


@login_required
def organisation_token_list(request: AuthedHttpRequest) -> HttpResponse:
    if not organisations_for_user(user=request.user, role=Role.ORG_ADMIN).exists():
        raise PermissionDenied
    context = {"tokens": tokens.api_token_list_for_admin(user=request.user).order_by("-created_at")}
    return render(request, "accounts/organisation_tokens.html", context)


@require_POST
@login_required
def token_revoke(request: AuthedHttpRequest, token_id: str) -> HttpResponse:
    token = tokens.api_token_get_for_revoker(user=request.user, token_id=token_id)
    tokens.api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("The token was revoked; it no longer opens the API."))
    if token.user_id == request.user.pk:
        return redirect("accounts:tokens")
    return redirect("accounts:organisation_tokens")
