"""Referral pages: the case's referral form, the incoming and waiting lists, one referral
with its answers. The directory is in directory_views.py, letters in letters.py."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.selectors import case_get_for_user
from crisis_ops.core.forms import add_service_errors
from crisis_ops.core.typing import AuthedHttpRequest
from referrals import selectors, services
from referrals.forms import (
    CompleteForm,
    DeclineForm,
    ReferralFilterForm,
    ReferralForm,
    TransferRequestForm,
)

PAGE_SIZE = 50


def require_case_role(request: AuthedHttpRequest) -> None:
    if not selectors.case_organisation_ids(user=request.user):
        raise PermissionDenied


@login_required
def referral_new(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, for_change=True)
    partners = selectors.partners_to_refer_to(
        user=request.user, case_organisation_id=case.organisation_id
    )
    form = ReferralForm(request.POST or None, partners=partners)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_send(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Referral %(ref)s sent.") % {"ref": referral.reference})
            return redirect("referrals:referral_detail", referral_id=referral.pk)
    return render(request, "referrals/referral_form.html", {"case": case, "form": form})


def _box(request: AuthedHttpRequest, box: str, template: str) -> HttpResponse:
    require_case_role(request)
    filters = ReferralFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    referrals = selectors.referral_list_for_user(
        user=request.user,
        box=box,
        status=cleaned.get("status", "sent" if box == "outgoing" and not request.GET else ""),
        overdue=cleaned.get("overdue", False),
        reference=cleaned.get("reference", ""),
        kind=cleaned.get("kind", ""),
    )
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "box": box,
        "query": request.GET.copy(),
        "now": timezone.now(),
    }
    return render(request, template, context)


@login_required
def incoming(request: AuthedHttpRequest) -> HttpResponse:
    return _box(request, "incoming", "referrals/incoming.html")


@login_required
def outgoing(request: AuthedHttpRequest) -> HttpResponse:
    return _box(request, "outgoing", "referrals/outgoing.html")


@login_required
def referral_detail(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, referral_id=referral_id)
    context: dict[str, Any] = {
        "referral": referral,
        "shared": services.referral_open(actor=request.user, referral=referral),
        "may_answer": selectors.may_answer(user=request.user, referral=referral),
        "may_complete": selectors.may_complete(user=request.user, referral=referral),
        "may_ask_transfer": selectors.may_ask_transfer(user=request.user, referral=referral),
        "is_sender": selectors.is_sender(user=request.user, referral=referral),
        "is_giving_side": selectors.is_giving_side(user=request.user, referral=referral),
        "handed_over": referral.is_transfer
        and referral.status in ("accepted", "completed")
        and selectors.is_giving_side(user=request.user, referral=referral),
        "decline_form": DeclineForm(),
        "complete_form": CompleteForm(),
        "transfer_form": TransferRequestForm(),
    }
    return render(request, "referrals/referral_detail.html", context)


def _answer(request: AuthedHttpRequest, referral_id: str, form: Form, action: Any) -> HttpResponse:
    referral = selectors.referral_get_for_user(user=request.user, referral_id=referral_id)
    if not form.is_valid():
        _flash_errors(request, ValidationError(form.errors))
    else:
        try:
            action(referral, form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("Saved."))
    return redirect("referrals:referral_detail", referral_id=referral.pk)


@require_POST
@login_required
def referral_accept(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    return _answer(
        request,
        referral_id,
        Form({}),
        lambda r, d: services.referral_accept(actor=request.user, referral=r),
    )


@require_POST
@login_required
def referral_decline(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    return _answer(
        request,
        referral_id,
        DeclineForm(request.POST),
        lambda r, d: services.referral_decline(actor=request.user, referral=r, **d),
    )


@require_POST
@login_required
def referral_complete(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    return _answer(
        request,
        referral_id,
        CompleteForm(request.POST),
        lambda r, d: services.referral_complete(actor=request.user, referral=r, **d),
    )


@require_POST
@login_required
def referral_cancel(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    return _answer(
        request,
        referral_id,
        Form({}),
        lambda r, d: services.referral_cancel(actor=request.user, referral=r),
    )


@require_POST
@login_required
def request_transfer(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    """Ask, on a referral this center accepted, for responsibility for her case."""
    referral = selectors.referral_get_for_user(user=request.user, referral_id=referral_id)
    form = TransferRequestForm(request.POST)
    if form.is_valid():
        try:
            created = services.transfer_request_send(
                actor=request.user, referral=referral, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            _flash_errors(request, exc)
        else:
            messages.success(
                request, _("Transfer request %(ref)s sent.") % {"ref": created.reference}
            )
            return redirect("referrals:referral_detail", referral_id=created.pk)
    else:
        _flash_errors(request, ValidationError(form.errors))
    return redirect("referrals:referral_detail", referral_id=referral.pk)


def _flash_errors(request: AuthedHttpRequest, exc: ValidationError | PermissionDenied) -> None:
    for message in getattr(exc, "messages", None) or [str(exc)]:
        messages.error(request, message)
