"""Referral pages: the case's referral form, the incoming and waiting lists, one referral
with its answers. The directory is in directory_views.py, letters in letters.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.selectors import case_get_for_user
from crisis_ops.core.forms import form_errors, form_save
from crisis_ops.core.typing import AuthedHttpRequest
from referrals import selectors, services
from referrals.forms import (
    CompleteForm,
    DeclineForm,
    ReferralFilterForm,
    ReferralForm,
    TransferRequestForm,
)
from referrals.models import Referral

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
    if form.is_bound and (
        saved := form_save(
            form, lambda data: services.referral_send(actor=request.user, case=case, **data)
        )
    ):
        referral = saved.value
        messages.success(request, _("Referral %(ref)s sent.") % {"ref": referral.reference})
        return redirect("referrals:referral_detail", referral_id=referral.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "referrals/referral_form.html", {"case": case, "form": form}, status=status
    )


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
    return _render_detail(request, referral)


def _render_detail(
    request: AuthedHttpRequest,
    referral: Referral,
    bound: dict[str, Form] | None = None,
    status: int = 400,
) -> HttpResponse:
    """The referral page; after a refused answer, with that form bound and its errors."""
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
        **(bound or {}),
        # Shown at the top: the form that failed may be one the page no longer offers.
        "form_errors": form_errors((bound or {}).values()),
    }
    return render(
        request, "referrals/referral_detail.html", context, status=status if bound else 200
    )


def _answer(
    request: AuthedHttpRequest,
    referral_id: str,
    name: str,
    form: Form,
    save: Callable[[Referral, dict[str, Any]], Referral],
    sent: Callable[[Referral], str] = lambda _referral: _("Saved."),
) -> HttpResponse:
    """Shared tail of the referral page's forms: form → service → on a refusal the page
    again, the form bound and the reason at the top (403 when it was not hers to do)."""
    referral = selectors.referral_get_for_user(user=request.user, referral_id=referral_id)
    try:
        saved = form_save(form, lambda data: save(referral, data))
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or _("You may not do this."))
        return _render_detail(request, referral, {name: form}, status=403)
    if saved is None:
        return _render_detail(request, referral, {name: form})
    messages.success(request, sent(saved.value))
    return redirect("referrals:referral_detail", referral_id=saved.value.pk)


@require_POST
@login_required
def referral_accept(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    return _answer(
        request,
        referral_id,
        "accept_form",
        Form({}),
        lambda r, d: services.referral_accept(actor=request.user, referral=r),
    )


@require_POST
@login_required
def referral_decline(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    return _answer(
        request,
        referral_id,
        "decline_form",
        DeclineForm(request.POST),
        lambda r, d: services.referral_decline(actor=request.user, referral=r, **d),
    )


@require_POST
@login_required
def referral_complete(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    return _answer(
        request,
        referral_id,
        "complete_form",
        CompleteForm(request.POST),
        lambda r, d: services.referral_complete(actor=request.user, referral=r, **d),
    )


@require_POST
@login_required
def referral_cancel(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    return _answer(
        request,
        referral_id,
        "cancel_form",
        Form({}),
        lambda r, d: services.referral_cancel(actor=request.user, referral=r),
    )


@require_POST
@login_required
def request_transfer(request: AuthedHttpRequest, referral_id: str) -> HttpResponse:
    """Ask, on a referral this center accepted, for responsibility for her case."""
    return _answer(
        request,
        referral_id,
        "transfer_form",
        TransferRequestForm(request.POST),
        lambda r, d: services.transfer_request_send(actor=request.user, referral=r, **d),
        sent=lambda created: _("Transfer request %(ref)s sent.") % {"ref": created.reference},
    )
