"""The partner directory's pages: search and filter, an admin's edits and CSV import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from crisis_ops.core.forms import form_save
from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.organisations.roles import Role
from referrals import directory, selectors
from referrals.forms import PartnerFilterForm, PartnerForm, PartnerImportForm

PAGE_SIZE = 50


def _require_admin(request: AuthedHttpRequest) -> None:
    if Role.ORG_ADMIN not in request.user.active_roles():
        raise PermissionDenied


@login_required
def partner_list(request: AuthedHttpRequest) -> HttpResponse:
    if not request.user.active_roles():
        raise PermissionDenied
    filters = PartnerFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    partners = selectors.partner_list_for_user(
        user=request.user, **{k: cleaned.get(k, "") for k in ("kind", "region", "service", "q")}
    )
    page = Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "query": request.GET.copy(),
        "is_admin": Role.ORG_ADMIN in request.user.active_roles(),
    }
    return render(request, "referrals/partner_list.html", context)


@login_required
def partner_new(request: AuthedHttpRequest) -> HttpResponse:
    _require_admin(request)
    form = PartnerForm(request.POST or None, initial={"letter_language": "ru"})
    if form.is_bound and form_save(
        form, lambda data: directory.partner_create(actor=request.user, **data)
    ):
        messages.success(request, _("Partner added."))
        return redirect("referrals:partner_list")
    return render(
        request,
        "referrals/partner_form.html",
        {"form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def partner_edit(request: AuthedHttpRequest, partner_id: str) -> HttpResponse:
    partner = selectors.partner_get_for_user(
        user=request.user, partner_id=partner_id, for_change=True
    )
    initial = {name: getattr(partner, name) for name in directory.FIELDS}
    initial |= {"kind": partner.kind, "region": partner.region}
    form = PartnerForm(request.POST or None, initial=initial)
    if partner.kind.is_network_center:
        del form.fields["kind"]
    if form.is_bound and form_save(
        form, lambda data: directory.partner_update(actor=request.user, partner=partner, **data)
    ):
        messages.success(request, _("Saved."))
        return redirect("referrals:partner_list")
    return render(
        request,
        "referrals/partner_form.html",
        {"form": form, "partner": partner},
        status=400 if form.is_bound else 200,
    )


@login_required
def partner_import(request: AuthedHttpRequest) -> HttpResponse:
    _require_admin(request)
    form = PartnerImportForm(request.POST or None, request.FILES or None)
    saved = form.is_bound and form_save(
        form,
        lambda data: directory.partners_import_csv(
            actor=request.user, data=data["file"].read(2_000_000)
        ),
    )
    report = saved.value if saved else None
    context = {"form": form, "report": report, "columns": directory.CSV_COLUMNS}
    status = 400 if form.is_bound and not saved else 200
    return render(request, "referrals/partner_import.html", context, status=status)
