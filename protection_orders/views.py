"""Order pages. Access is that of the order's case; writes go through the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import services as case_services
from cases.selectors import case_get_for_user
from crisis_ops.core.confirm import ask_first
from crisis_ops.core.forms import form_errors, form_save
from crisis_ops.core.typing import AuthedHttpRequest
from protection_orders import selectors, services
from protection_orders.forms import (
    DecisionForm,
    ExtendForm,
    OrderForm,
    PoliceCheckForm,
    RevokeForm,
    ViolationForm,
)
from protection_orders.models import ProtectionOrder

_FORMS: dict[str, type[Form]] = {
    "check_form": PoliceCheckForm,
    "violation_form": ViolationForm,
    "decision_form": DecisionForm,
    "extend_form": ExtendForm,
    "revoke_form": RevokeForm,
}


def _render_order(
    request: AuthedHttpRequest, order: ProtectionOrder, bound: dict[str, Form] | None = None
) -> HttpResponse:
    checks = list(order.checks.select_related("recorded_by"))
    context: dict[str, Any] = {
        "order": order,
        "case": order.case,
        "schedule": selectors.check_schedule(order=order, checks=checks),
        "checks": checks,
        "violations": order.violations.select_related("recorded_by"),
        "previous": order.previous,
        "extension": selectors.order_extension(order=order),
        **{name: form_class() for name, form_class in _FORMS.items()},
        **(bound or {}),
        # Shown at the top: the form that failed may be one the page no longer offers.
        "form_errors": form_errors((bound or {}).values()),
    }
    status = 400 if bound else 200
    return render(request, "protection_orders/order_detail.html", context, status=status)


@login_required
def order_add(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    case = case_get_for_user(user=request.user, case_id=case_id, for_change=True)
    form = OrderForm(request.POST or None)
    if form.is_bound and (
        saved := form_save(
            form, lambda data: services.order_create(actor=request.user, case=case, **data)
        )
    ):
        messages.success(request, _("Protection order recorded."))
        return redirect("protection_orders:order_detail", order_id=saved.value.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "protection_orders/order_form.html", {"case": case, "form": form}, status=status
    )


@login_required
def order_detail(request: AuthedHttpRequest, order_id: str) -> HttpResponse:
    order = selectors.order_get_for_user(user=request.user, order_id=order_id)
    case_services.case_record_read(actor=request.user, case=order.case)
    return _render_order(request, order)


def _order_action(
    request: AuthedHttpRequest,
    order_id: str,
    name: str,
    save: Callable[[ProtectionOrder, dict[str, Any]], object],
    confirm: Callable[[ProtectionOrder, dict[str, Any]], dict[str, Any] | None] | None = None,
) -> HttpResponse:
    """Shared tail of the order page's forms: on bad input, the page again with the message;
    a final action (``confirm``) first asks, saying what will happen."""
    order = selectors.order_get_for_user(user=request.user, order_id=order_id, for_change=True)
    form = _FORMS[name](request.POST) if name in _FORMS else Form(request.POST)
    question = confirm(order, form.cleaned_data) if confirm and form.is_valid() else None
    if question is not None:
        cancel = reverse("protection_orders:order_detail", args=[order.pk])
        asking = ask_first(request, cancel_url=cancel, **question)
        if asking is not None:
            return asking
    if saved := form_save(form, lambda data: save(order, data)):
        messages.success(request, _("Saved."))
        target = saved.value if isinstance(saved.value, ProtectionOrder) else order
        return redirect("protection_orders:order_detail", order_id=target.pk)
    return _render_order(request, order, {name: form})


@require_POST
@login_required
def check_add(request: AuthedHttpRequest, order_id: str) -> HttpResponse:
    return _order_action(
        request,
        order_id,
        "check_form",
        lambda order, data: services.police_check_record(actor=request.user, order=order, **data),
    )


@require_POST
@login_required
def violation_add(request: AuthedHttpRequest, order_id: str) -> HttpResponse:
    return _order_action(
        request,
        order_id,
        "violation_form",
        lambda order, data: services.violation_record(actor=request.user, order=order, **data),
    )


@require_POST
@login_required
def decision_record(request: AuthedHttpRequest, order_id: str) -> HttpResponse:
    return _order_action(
        request,
        order_id,
        "decision_form",
        lambda order, data: services.order_record_decision(actor=request.user, order=order, **data),
    )


@require_POST
@login_required
def order_extend(request: AuthedHttpRequest, order_id: str) -> HttpResponse:
    return _order_action(
        request,
        order_id,
        "extend_form",
        lambda order, data: services.order_extend(actor=request.user, order=order, **data),
    )


@require_POST
@login_required
def order_revoke(request: AuthedHttpRequest, order_id: str) -> HttpResponse:
    return _order_action(
        request,
        order_id,
        "revoke_form",
        lambda order, data: services.order_revoke(actor=request.user, order=order, **data),
        confirm=lambda order, data: (
            None
            if order.status != ProtectionOrder.Status.ACTIVE
            else {
                "title": _("Revoke order %(number)s?") % {"number": order.number},
                "consequences": [
                    _("The order is marked revoked from today, with your reason: “%(reason)s”.")
                    % {"reason": data["reason"]},
                    _("Its police check and expiry reminders stop."),
                    _("This cannot be undone: a new order has to be recorded instead."),
                ],
                "confirm_label": _("Revoke the order"),
            }
        ),
    )
