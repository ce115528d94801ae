"""The intake: one form in four steps, saved encrypted on the server as it is typed.

A dropped connection or a closed tab loses nothing: every change is posted
(static/js/drafts.js) to the draft, and opening the intake again continues where it
stopped. While the connection is down, what was typed waits in the browser, encrypted,
and is posted when it returns; Next and Finish wait with it instead of leaving the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import selectors, services_intake
from cases.acting_views import acting_for, ask_which_center
from cases.forms import IntakeCaseForm, IntakeIncidentForm, RiskForm, SurvivorForm
from cases.models import RiskInstrument
from crisis_ops.core.idempotency import key_was_used
from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.organisations.models import Organisation

STEPS = {
    1: gettext_lazy("Who she is"),
    2: gettext_lazy("What happened"),
    3: gettext_lazy("Risk"),
    4: gettext_lazy("Consent and next steps"),
}


def _organisation(request: AuthedHttpRequest) -> Organisation:
    """The center she acts for; the intake page asks first (acting_views) if not chosen."""
    organisation = acting_for(request)
    if organisation is None:
        raise PermissionDenied
    return organisation


def _form(step: int, data: Any, instrument: RiskInstrument) -> Form:
    if step == 1:
        return SurvivorForm(data)
    if step == 2:
        return IntakeIncidentForm(data)
    if step == 3:
        return RiskForm(data, instrument=instrument)
    return IntakeCaseForm(data)


def _raw(post: Any) -> dict[str, Any]:
    """What was typed, as the form would post it again (lists for multi-choice fields)."""
    return {
        key: values if len(values) > 1 or key in ("violence_types", "consents") else values[0]
        for key, values in post.lists()
        if key not in ("csrfmiddlewaretoken", "step", "action", "idempotency_key", "form_key")
    }


def _step_from(value: Any, default: int) -> int:
    try:
        step = int(value)
    except (TypeError, ValueError):
        return default
    return step if step in STEPS else default


@login_required
def intake(request: AuthedHttpRequest) -> HttpResponse:
    if acting_for(request) is None:
        return ask_which_center(request)
    organisation = _organisation(request)
    draft = selectors.intake_draft_for(user=request.user, organisation=organisation)
    saved: dict[str, Any] = draft.data if draft else {}
    instrument = selectors.risk_instrument_current()
    step = _step_from(
        request.POST.get("step") or request.GET.get("step"), draft.step if draft else 1
    )

    if request.method == "POST":
        saved = {**saved, f"step{step}": _raw(request.POST)}
        action = request.POST.get("action", "next")
        form = _form(step, saved[f"step{step}"], instrument)
        if action == "back":
            services_intake.intake_draft_save(
                actor=request.user, organisation=organisation, step=max(1, step - 1), data=saved
            )
            return redirect(f"{request.path}?step={max(1, step - 1)}")
        if form.is_valid() and action == "next" and step < 4:
            services_intake.intake_draft_save(
                actor=request.user, organisation=organisation, step=step + 1, data=saved
            )
            return redirect(f"{request.path}?step={step + 1}")
        services_intake.intake_draft_save(
            actor=request.user, organisation=organisation, step=step, data=saved
        )
        if form.is_valid() and action == "finish":
            return _finish(request, organisation, saved, instrument)
    else:
        stored = saved.get(f"step{step}")
        form = _form(step, stored, instrument) if stored else _form(step, None, instrument)
        if stored:
            form.errors.clear()  # show what was typed; errors only after a submit

    return render(request, "cases/intake.html", _context(request, organisation, step, form, saved))


def _context(
    request: AuthedHttpRequest,
    organisation: Organisation,
    step: int,
    form: Form,
    saved: dict[str, Any],
) -> dict[str, Any]:
    first = saved.get("step1", {})
    return {
        "step": step,
        "steps": STEPS,
        "form": form,
        "organisation": organisation,
        "duplicates": selectors.survivor_possible_duplicates(
            organisation_id=organisation.pk, iin=first.get("iin", ""), phone=first.get("phone", "")
        )
        if step == 1
        else [],
        "has_draft": bool(saved),
    }


def _finish(
    request: AuthedHttpRequest,
    organisation: Organisation,
    saved: dict[str, Any],
    instrument: RiskInstrument,
) -> HttpResponse:
    forms = {n: _form(n, saved.get(f"step{n}", {}), instrument) for n in STEPS}
    for number, form in forms.items():
        if not form.is_valid():
            messages.error(request, _("Some answers need correcting before the case can be saved."))
            return render(
                request, "cases/intake.html", _context(request, organisation, number, form, saved)
            )
    survivor, incident, risk, case = (forms[n].cleaned_data for n in (1, 2, 3, 4))
    perpetrator = {
        "full_name": incident.pop("perpetrator_name"),
        "details": incident.pop("perpetrator_details"),
        "relationship": incident["relationship"],
    }
    try:
        new_case = services_intake.case_intake_complete(
            actor=request.user,
            organisation=organisation,
            survivor=survivor,
            case=case,
            incident=incident,
            perpetrator=perpetrator,
            risk_answers=forms[3].answers(),  # type: ignore[attr-defined]
            risk_override_band=risk["override_band"],
            risk_override_reason=risk["override_reason"],
            consents=case.pop("consents"),
            hotline_call_id=saved.get("hotline_call"),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return render(
            request, "cases/intake.html", _context(request, organisation, 1, forms[1], saved)
        )
    messages.success(request, _("Case %(reference)s opened.") % {"reference": new_case.reference})
    if new_case.risk_band == "high":
        messages.warning(
            request, _("High risk: your supervisor has been told. Plan her safety now.")
        )
    return redirect("cases:case_detail", case_id=new_case.pk)


@require_POST
@login_required
def intake_autosave(request: AuthedHttpRequest) -> HttpResponse:
    """drafts.js posts the current step here on every change; nothing is validated yet."""
    organisation = _organisation(request)
    if key_was_used(user=request.user, key=request.POST.get("form_key", "")):
        return render(request, "cases/_draft_saved.html")  # the intake was already finished
    step = _step_from(request.POST.get("step"), 1)
    draft = selectors.intake_draft_for(user=request.user, organisation=organisation)
    saved = {**(draft.data if draft else {}), f"step{step}": _raw(request.POST)}
    services_intake.intake_draft_save(
        actor=request.user, organisation=organisation, step=step, data=saved
    )
    return render(request, "cases/_draft_saved.html")


@require_POST
@login_required
def intake_duplicates(request: AuthedHttpRequest) -> HttpResponse:
    """POST, so the IIN and phone being checked are in no address (history, access log)."""
    organisation = _organisation(request)
    duplicates = selectors.survivor_possible_duplicates(
        organisation_id=organisation.pk,
        iin=request.POST.get("iin", ""),
        phone=request.POST.get("phone", ""),
    )
    return render(request, "cases/_duplicates.html", {"duplicates": duplicates})


@require_POST
@login_required
def intake_discard(request: AuthedHttpRequest) -> HttpResponse:
    services_intake.intake_draft_discard(actor=request.user, organisation=_organisation(request))
    messages.info(request, _("The unfinished intake was discarded."))
    return redirect("cases:intake")
