"""The case page and the actions on it. The list is in list_views.py, intake pages in
intake_views.py."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import selectors, services, timeline
from cases.forms import (
    AssignForm,
    ChildForm,
    ConsentForm,
    CourtPendingForm,
    IncidentForm,
    NoteForm,
    RiskForm,
    ServiceForm,
    StatusForm,
)
from cases.models import Case
from cases.selectors_file import case_file
from crisis_ops.core.confirm import ask_first
from crisis_ops.core.forms import form_errors, form_save
from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.organisations.roles import Role
from protection_orders.selectors import order_summaries_for_case
from referrals.selectors import referrals_for_case
from shelters.selectors import case_shelter_placements

PAGE_SIZE = 50


def _require_case_role(request: AuthedHttpRequest) -> None:
    if not request.user.active_roles() & {Role.CASEWORKER, Role.SUPERVISOR}:
        raise PermissionDenied


def _render_case(
    request: AuthedHttpRequest, case: Case, bound: dict[str, Form] | None = None
) -> HttpResponse:
    """The case page; ``bound`` is a form that failed, shown again with its errors."""
    services.case_record_read(actor=request.user, case=case)
    is_supervisor = Role.SUPERVISOR in request.user.active_roles()
    context = {
        "case": case,
        "timeline": timeline.case_timeline(case, user=request.user),
        "file": case_file(case=case),
        "consents": case.consents.all(),
        "readers": timeline.case_readers(case) if is_supervisor else None,
        "note_form": NoteForm(),
        "status_form": StatusForm(initial={"status": case.status}),
        "court_form": CourtPendingForm(initial={"pending": case.court_case_pending}),
        "consent_form": ConsentForm(),
        "service_form": ServiceForm(),
        "child_form": ChildForm(),
        "orders": order_summaries_for_case(case=case),
        "placements": case_shelter_placements(case=case),
        "referrals": referrals_for_case(user=request.user, case_id=case.pk)[:20],
        "assign_form": AssignForm(case=case, initial={"assignee": case.assigned_to_id})
        if is_supervisor
        else None,
        **(bound or {}),
        "form_errors": form_errors((bound or {}).values()),
    }
    status = 400 if bound else 200
    return render(request, "cases/case_detail.html", context, status=status)


@login_required
def case_detail(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id)
    return _render_case(request, case)


def _case_action(
    request: AuthedHttpRequest,
    case: Case,
    name: str,
    form: Form,
    save: Callable[[Case, dict[str, Any]], object],
) -> HttpResponse:
    """Shared tail of the case page's small forms: on bad input, the page again with it."""
    if form_save(form, lambda data: save(case, data)):
        messages.success(request, _("Saved."))
        return redirect("cases:case_detail", case_id=case.pk)
    return _render_case(request, case, {name: form})


def _case_for_change(request: AuthedHttpRequest, case_id: str) -> Case:
    return selectors.case_get_for_user(user=request.user, case_id=case_id, for_change=True)


@require_POST
@login_required
def note_add(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    return _case_action(
        request,
        _case_for_change(request, case_id),
        "note_form",
        NoteForm(request.POST),
        lambda case, data: services.note_add(actor=request.user, case=case, **data),
    )


@require_POST
@login_required
def status_change(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    asking = _ask_before_closing(request, case_id, StatusForm(request.POST))
    if asking:
        return asking
    return _case_action(
        request,
        _case_for_change(request, case_id),
        "status_form",
        StatusForm(request.POST),
        lambda case, data: services.case_change_status(actor=request.user, case=case, **data),
    )


@require_POST
@login_required
def court_pending_set(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    return _case_action(
        request,
        _case_for_change(request, case_id),
        "court_form",
        CourtPendingForm(request.POST),
        lambda case, data: services.case_court_pending_set(
            actor=request.user, case=case, pending=data["pending"]
        ),
    )


def _ask_before_closing(
    request: AuthedHttpRequest, case_id: str, form: Form
) -> HttpResponse | None:
    """Closing is final for the day's work: say what it does before doing it."""
    if not form.is_valid() or form.cleaned_data["status"] != Case.Status.CLOSED:
        return None
    reason = form.cleaned_data["closed_reason"]
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, for_change=True)
    if case.status == Case.Status.CLOSED or reason not in Case.ClosedReason.values:
        return None  # the service says what is wrong
    return ask_first(
        request,
        title=_("Close case %(reference)s?") % {"reference": case.reference},
        consequences=[
            _("The case is closed from now, with the reason “%(reason)s”.")
            % {"reason": Case.ClosedReason(reason).label},
            _("It can be reopened later from this page."),
        ],
        confirm_label=_("Close the case"),
        cancel_url=reverse("cases:case_detail", args=[case.pk]),
    )


@require_POST
@login_required
def consent_add(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    return _case_action(
        request,
        _case_for_change(request, case_id),
        "consent_form",
        ConsentForm(request.POST),
        lambda case, data: services.consent_grant(actor=request.user, case=case, **data),
    )


@require_POST
@login_required
def service_add(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    return _case_action(
        request,
        _case_for_change(request, case_id),
        "service_form",
        ServiceForm(request.POST),
        lambda case, data: services.service_record(actor=request.user, case=case, **data),
    )


@require_POST
@login_required
def child_add(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    return _case_action(
        request,
        _case_for_change(request, case_id),
        "child_form",
        ChildForm(request.POST),
        lambda case, data: services.child_add(actor=request.user, case=case, **data),
    )


@require_POST
@login_required
def case_assign(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    if Role.SUPERVISOR not in request.user.active_roles():
        raise PermissionDenied
    case = _case_for_change(request, case_id)
    return _case_action(
        request,
        case,
        "assign_form",
        AssignForm(request.POST, case=case),
        lambda case, data: services.case_assign(actor=request.user, case=case, **data),
    )


@require_POST
@login_required
def consent_revoke(request: AuthedHttpRequest, case_id: str, consent_id: str) -> HttpResponse:
    def revoke(case: Case, data: object) -> None:
        consent = case.consents.filter(pk=consent_id).first()
        if consent is None:
            raise ValidationError(_("That consent is not on this case."))
        services.consent_revoke(actor=request.user, consent=consent)

    case = _case_for_change(request, case_id)
    return _case_action(request, case, "revoke_form", Form({}), revoke)


@login_required
def incident_add(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, for_change=True)
    form = IncidentForm(request.POST or None)
    if form.is_bound and form_save(
        form, lambda data: services.incident_add(actor=request.user, case=case, **data)
    ):
        messages.success(request, _("Incident recorded."))
        return redirect("cases:case_detail", case_id=case.pk)
    status = 400 if form.is_bound else 200
    return render(request, "cases/incident_form.html", {"case": case, "form": form}, status=status)


@login_required
def risk_add(request: AuthedHttpRequest, case_id: str) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, case_id=case_id, for_change=True)
    instrument = selectors.risk_instrument_current()
    form = RiskForm(request.POST or None, instrument=instrument)
    saved = form.is_bound and form_save(
        form,
        lambda data: services.risk_assessment_record(
            actor=request.user,
            case=case,
            answers=form.answers(),
            instrument=instrument,
            override_band=data["override_band"],
            override_reason=data["override_reason"],
        ),
    )
    if saved:
        assessment = saved.value
        messages.success(
            request,
            _("Risk assessed: score %(score)s, %(band)s.")
            % {"score": assessment.score, "band": assessment.get_band_display()},
        )
        return redirect("cases:case_detail", case_id=case.pk)
    status = 400 if form.is_bound else 200
    return render(request, "cases/risk_form.html", {"case": case, "form": form}, status=status)
