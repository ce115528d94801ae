from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisis_ops.accounts.services import totp_device_reset
from crisis_ops.core.forms import form_save
from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.organisations import selectors, services
from crisis_ops.organisations.forms import (
    MemberCreateForm,
    MembershipUpdateForm,
    TemporaryPasswordForm,
)
from crisis_ops.organisations.roles import Role


@login_required
def member_list(request: AuthedHttpRequest) -> HttpResponse:
    organisations = selectors.organisations_for_user(user=request.user, role=Role.ORG_ADMIN)
    if not organisations.exists():
        raise PermissionDenied
    memberships = selectors.membership_list_for_admin(user=request.user)
    return render(
        request,
        "organisations/member_list.html",
        {"memberships": memberships, "organisations": organisations},
    )


@login_required
def member_create(request: AuthedHttpRequest, organisation_id: str) -> HttpResponse:
    organisation = selectors.organisation_get_for_admin(
        user=request.user, organisation_id=organisation_id
    )
    form = MemberCreateForm(request.POST or None)
    if form.is_bound and form_save(
        form,
        lambda data: services.member_create(actor=request.user, organisation=organisation, **data),
    ):
        messages.success(request, _("Staff member added."))
        return redirect("organisations:member_list")
    return render(
        request,
        "organisations/member_form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.is_bound else 200,
    )


@login_required
def member_update(request: AuthedHttpRequest, membership_id: str) -> HttpResponse:
    membership = selectors.membership_get_for_admin(user=request.user, membership_id=membership_id)
    initial = {"role": membership.role, "is_active": membership.is_active}
    form = MembershipUpdateForm(request.POST or None, initial=initial)
    if form.is_bound and form_save(
        form,
        lambda data: services.membership_update(actor=request.user, membership=membership, **data),
    ):
        messages.success(request, _("Changes saved."))
        return redirect("organisations:member_list")
    return render(
        request,
        "organisations/member_update.html",
        {"form": form, "membership": membership, "password_form": TemporaryPasswordForm()},
        status=400 if form.is_bound else 200,
    )


@require_POST
@login_required
def member_password_reset(request: AuthedHttpRequest, membership_id: str) -> HttpResponse:
    membership = selectors.membership_get_for_admin(user=request.user, membership_id=membership_id)
    form = TemporaryPasswordForm(request.POST)
    saved = form_save(
        form,
        lambda data: services.member_password_reset(
            actor=request.user, membership=membership, password=data["password"]
        ),
    )
    if saved:
        messages.success(
            request, _("Temporary password set. They choose their own at next sign-in.")
        )
        return redirect("organisations:member_list")
    context = {
        "form": MembershipUpdateForm(
            initial={"role": membership.role, "is_active": membership.is_active}
        ),
        "membership": membership,
        "password_form": form,
    }
    return render(request, "organisations/member_update.html", context, status=400)


@require_POST
@login_required
def member_reset_second_factor(request: AuthedHttpRequest, membership_id: str) -> HttpResponse:
    membership = selectors.membership_get_for_admin(user=request.user, membership_id=membership_id)
    totp_device_reset(actor=request.user, user=membership.user)
    messages.success(request, _("The authenticator was reset. They set up a new one at sign-in."))
    return redirect("organisations:member_list")
