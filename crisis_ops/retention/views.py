"""Pages: the org admin's retention overview, policy and holds; erasure requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisis_ops.core.forms import form_save
from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.retention import registry, selectors, services
from crisis_ops.retention.forms import ErasureRequestForm, LegalHoldForm, PolicyForm


def _require_admin(request: AuthedHttpRequest) -> None:
    if not selectors.administered_organisations(user=request.user).exists():
        raise PermissionDenied


@login_required
def overview(request: AuthedHttpRequest) -> HttpResponse:
    _require_admin(request)
    kinds = {kind.key: kind.label for kind in registry.case_kinds()}
    organisations = []
    blocked = dict(selectors.holds_for_admin(user=request.user))
    for organisation in selectors.administered_organisations(user=request.user):
        policy = selectors.policy_for(organisation=organisation)
        rules = selectors.policy_rules(policy=policy)
        organisations.append(
            {
                "organisation": organisation,
                "policy": policy,
                "rules": [(kinds.get(k, k), years) for k, years in rules.items()],
                "blocked": blocked.get(organisation, []),
            }
        )
    context = {
        "organisations": organisations,
        "manual_holds": selectors.manual_holds_for_admin(user=request.user),
        "schedule": _schedule_summary(request),
        "notices": selectors.notices_for_admin(user=request.user)[:10],
        "records": selectors.purge_records_for_admin(user=request.user)[:20],
    }
    return render(request, "retention/overview.html", context)


def _schedule_summary(request: AuthedHttpRequest) -> list[tuple[object, int]]:
    from django.db.models import Count

    rows = (
        selectors.schedule_for_admin(user=request.user)
        .values("purge_on")
        .annotate(survivors=Count("pk"))
        .order_by("purge_on")
    )
    return [(row["purge_on"], row["survivors"]) for row in rows]


@login_required
def policy_edit(request: AuthedHttpRequest, organisation_id: str) -> HttpResponse:
    organisation = selectors.organisation_get_for_admin(
        user=request.user, organisation_id=organisation_id
    )
    policy = selectors.policy_for(organisation=organisation)
    rules = selectors.policy_rules(policy=policy)
    form = PolicyForm(request.POST or None, rules=rules, initial={"years": policy.years})
    if request.method == "POST":
        saved = form_save(
            form,
            lambda data: services.policy_save(
                actor=request.user,
                organisation=organisation,
                years=data["years"],
                rules=form.rules(),
            ),
        )
        if saved:
            messages.success(request, _("Retention policy saved."))
            return redirect("retention:overview")
    status = 400 if form.is_bound else 200
    return render(
        request,
        "retention/policy_form.html",
        {"form": form, "organisation": organisation},
        status=status,
    )


@login_required
def hold_create(request: AuthedHttpRequest, organisation_id: str) -> HttpResponse:
    organisation = selectors.organisation_get_for_admin(
        user=request.user, organisation_id=organisation_id
    )
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST":
        saved = form_save(
            form,
            lambda data: services.legal_hold_set(
                actor=request.user, organisation=organisation, **data
            ),
        )
        if saved:
            messages.success(request, _("Legal hold set: the case will not be purged."))
            return redirect("retention:overview")
    return render(
        request,
        "retention/hold_form.html",
        {"form": form, "organisation": organisation},
        status=400 if form.is_bound else 200,
    )


@require_POST
@login_required
def hold_release(request: AuthedHttpRequest, hold_id: str) -> HttpResponse:
    hold = selectors.manual_hold_get_for_admin(user=request.user, hold_id=hold_id)
    services.legal_hold_release(actor=request.user, hold=hold)
    messages.success(request, _("Legal hold released."))
    return redirect("retention:overview")


# --- erasure requests -------------------------------------------------------------------------


@login_required
def erasure_list(request: AuthedHttpRequest) -> HttpResponse:
    if not selectors.user_sees_erasure(user=request.user):
        raise PermissionDenied
    return render(
        request,
        "retention/erasure_list.html",
        {
            "requests": selectors.erasure_requests_for_user(user=request.user)[:50],
            "may_request": selectors.user_may_request_erasure(user=request.user),
        },
    )


@login_required
def erasure_create(request: AuthedHttpRequest) -> HttpResponse:
    if not selectors.user_may_request_erasure(user=request.user):
        raise PermissionDenied
    form = ErasureRequestForm(request.POST or None)
    if request.method == "POST":
        saved = form_save(form, lambda data: services.erasure_request(actor=request.user, **data))
        if saved:
            messages.success(
                request, _("Erasure requested. An organisation admin must confirm it.")
            )
            return redirect("retention:erasure_detail", request_id=saved.value.pk)
    return render(
        request,
        "retention/erasure_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


def _erasure_page(
    request: AuthedHttpRequest, erasure: object, errors: list[str] | None = None, status: int = 200
) -> HttpResponse:
    from crisis_ops.retention.models import ErasureRequest

    assert isinstance(erasure, ErasureRequest)
    waiting = erasure.status == ErasureRequest.Status.REQUESTED
    is_admin = (
        selectors.administered_organisations(user=request.user)
        .filter(pk=erasure.organisation_id)
        .exists()
    )
    context = {
        "erasure": erasure,
        "errors": errors or [],
        "holds": services.erasure_holds(erasure=erasure) if waiting else {},
        "may_confirm": waiting and is_admin and erasure.requested_by_id != request.user.pk,
        "asked_herself": waiting and is_admin and erasure.requested_by_id == request.user.pk,
        "may_cancel": waiting and (is_admin or erasure.requested_by_id == request.user.pk),
    }
    return render(request, "retention/erasure_detail.html", context, status=status)


@login_required
def erasure_detail(request: AuthedHttpRequest, request_id: str) -> HttpResponse:
    erasure = selectors.erasure_request_get_for_user(user=request.user, request_id=request_id)
    return _erasure_page(request, erasure)


@require_POST
@login_required
def erasure_confirm(request: AuthedHttpRequest, request_id: str) -> HttpResponse:
    erasure = selectors.erasure_request_get_for_user(user=request.user, request_id=request_id)
    try:
        services.erasure_confirm(actor=request.user, erasure=erasure)
    except ValidationError as error:
        erasure.refresh_from_db()
        return _erasure_page(request, erasure, errors=error.messages, status=400)
    messages.success(request, _("Erased: her data key is destroyed and her records deleted."))
    return redirect("retention:erasure_detail", request_id=erasure.pk)


@require_POST
@login_required
def erasure_cancel(request: AuthedHttpRequest, request_id: str) -> HttpResponse:
    erasure = selectors.erasure_request_get_for_user(user=request.user, request_id=request_id)
    try:
        services.erasure_cancel(actor=request.user, erasure=erasure)
    except ValidationError as error:
        erasure.refresh_from_db()
        return _erasure_page(request, erasure, errors=error.messages, status=400)
    messages.success(request, _("Erasure request cancelled."))
    return redirect("retention:erasure_list")
