"""Case list, case page and the actions on it. Intake pages are in intake_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors, services, timeline
from cases.forms import (
    AssignForm,
    CaseFilterForm,
    ChildForm,
    ConsentForm,
    IncidentForm,
    NoteForm,
    RiskForm,
    ServiceForm,
    StatusForm,
)
from cases.models import RiskInstrument
from crisis_ops.core.forms import add_service_errors
from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.organisations.roles import Role
from protection_orders.selectors import order_summaries_for_case
from referrals.selectors import referrals_for_case
from shelters.selectors import case_shelter_placements

PAGE_SIZE = 50


def _require_case_role(request: AuthedHttpRequest) -> None:
    if not request.user.active_roles() & {Role.CASEWORKER, Role.SUPERVISOR}:
        raise PermissionDenied


@login_required
def case_list(request: AuthedHttpRequest) -> HttpResponse:
    _require_case_role(request)
    filters = CaseFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    try:
        cases = selectors.case_list_for_user(
            user=request.user,
            status=cleaned.get("status", ""),
            risk_band=cleaned.get("risk_band", ""),
            assigned_to_me=cleaned.get("mine", False),
            has_overdue=cleaned.get("overdue", False),
            search=cleaned.get("q", "").strip(),
        )
    except ValueError as exc:
        filters.add_error("q", str(exc))
        cases = selectors.case_list_for_user(user=request.user).none()
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"filters": filters, "page": page, "query": request.GET.copy()}
    # htmx asks for the results only, so filtering does not reload the page.
    partial = request.headers.get("HX-Request") == "true"
    template = "cases/_case_results.html" if partial else "cases/case_list.html"
    return render(request, template, context)


@login_required
def case_detail(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    services.case_record_read(actor=request.user, case=case)
    is_supervisor = Role.SUPERVISOR in request.user.active_roles()
    context = {
        "case": case,
        "timeline": timeline.case_timeline(case),
        "consents": case.consents.all(),
        "readers": timeline.case_readers(case) if is_supervisor else None,
        "note_form": NoteForm(),
        "status_form": StatusForm(initial={"status": case.status}),
        "consent_form": ConsentForm(),
        "service_form": ServiceForm(),
        "child_form": ChildForm(),
        "children": case.children.all(),
        "orders": order_summaries_for_case(case),
        "placements": case_shelter_placements(case),
        "referrals": referrals_for_case(user=request.user, case_id=case.pk)[:20],
        "assign_form": AssignForm(case=case, initial={"assignee": case.assigned_to_id})
        if is_supervisor
        else None,
    }
    return render(request, "cases/case_detail.html", context)


def _case_action(
    request: AuthedHttpRequest, case_id: str, form: Form, save: object
) -> HttpResponse:
    """Shared tail of the small POST forms of the case page."""
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, for_change=True)
    if form.is_valid():
        try:
            save(case, form.cleaned_data)  # type: ignore[operator]
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("cases:case_detail", case_id=case.pk)


@require_POST
@login_required
def note_add(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        NoteForm(request.POST),
        lambda case, data: services.note_add(actor=request.user, case=case, **data),
    )


@require_POST
@login_required
def status_change(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        StatusForm(request.POST),
        lambda case, data: services.case_change_status(actor=request.user, case=case, **data),
    )


@require_POST
@login_required
def consent_add(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        ConsentForm(request.POST),
        lambda case, data: services.consent_grant(actor=request.user, case=case, **data),
    )


@require_POST
@login_required
def service_add(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        ServiceForm(request.POST),
        lambda case, data: services.service_record(actor=request.user, case=case, **data),
    )


@require_POST
@login_required
def child_add(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    return _case_action(
        request,
        case_id,
        ChildForm(request.POST),
        lambda case, data: services.child_add(actor=request.user, case=case, **data),
    )


@require_POST
@login_required
def case_assign(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    if Role.SUPERVISOR not in request.user.active_roles():
        raise PermissionDenied
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, for_change=True)
    return _case_action(
        request,
        case_id,
        AssignForm(request.POST, case=case),
        lambda case, data: services.case_assign(actor=request.user, case=case, **data),
    )


@require_POST
@login_required
def consent_revoke(request: AuthedHttpRequest, case_id: str, consent_id: str) -> HttpResponse:
    def revoke(case: object, data: object) -> None:
        consent = case.consents.filter(pk=consent_id).first()  # type: ignore[attr-defined]
        if consent is None:
            raise ValidationError(_("That consent is not on this case."))
        services.consent_revoke(actor=request.user, consent=consent)

    return _case_action(request, case_id, Form({}), revoke)


@login_required
def incident_add(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, for_change=True)
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.incident_add(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Incident recorded."))
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/incident_form.html", {"case": case, "form": form})


@login_required
def risk_add(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, for_change=True)
    instrument = RiskInstrument.objects.get(is_current=True, code="dash-24")
    form = RiskForm(request.POST or None, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.risk_assessment_record(
                actor=request.user,
                case=case,
                answers=form.answers(),
                instrument=instrument,
                override_band=form.cleaned_data["override_band"],
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Risk assessed: score %(score)s, %(band)s.")
                % {"score": assessment.score, "band": assessment.get_band_display()},
            )
            return redirect("cases:case_detail", case_id=case.pk)
    return render(request, "cases/risk_form.html", {"case": case, "form": form})
