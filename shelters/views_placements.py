"""Shelter pages where beds are taken and given back: holds (caseworkers) and a
shelter's bed grid (managers: confirm, admit, discharge, mark a bed).

Access goes through the selectors; every write goes through the retrying services
(shelters/concurrency.py). A bed taken a moment ago is answered 409 with the page again
and the message, never a 500.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.selectors import case_list_open_for_change
from crisis_ops.core.confirm import ask_first
from crisis_ops.core.forms import Saved, all_form_errors, form_save
from crisis_ops.core.typing import AuthedHttpRequest
from shelters import selectors, services
from shelters import services_placements as placements
from shelters.board import BoardRow, availability_board
from shelters.concurrency import BedTaken
from shelters.forms import (
    AdmitForm,
    ConfirmHoldForm,
    DischargeForm,
    HoldForm,
    StayEditForm,
    ToggleForm,
)
from shelters.models import Bed, Occupancy, Shelter
from shelters.views import is_htmx, require_holder, uuid_or_none

T = TypeVar("T")

# -- Holds (caseworkers) --------------------------------------------------------------------


def _board_row(request: AuthedHttpRequest, shelter: Shelter) -> BoardRow | None:
    rows = availability_board(user=request.user, region_id=shelter.region_id)
    return next((row for row in rows if row.shelter.pk == shelter.pk), None)


def _held_message(hold: Occupancy, shelter: Shelter) -> str:
    return _(
        "%(bed)s at %(shelter)s is held for you until %(until)s. "
        "Call the intake phone %(phone)s to arrange her arrival."
    ) % {
        "bed": hold.bed,
        "shelter": shelter.name,
        "until": timezone.localtime(hold.hold_expires_at).strftime("%H:%M"),
        "phone": shelter.intake_phone,
    }


@login_required
def hold_place(request: AuthedHttpRequest, shelter_id: str) -> HttpResponse:
    require_holder(request)
    shelter = selectors.shelter_get_for_hold(shelter_id=shelter_id)
    row = _board_row(request, shelter)
    # The case comes from the link she followed from it; the bed kind she needs is hers
    # to say, not guessed from what happens to be free.
    case_id = uuid_or_none(request.GET.get("case", ""))
    form = HoldForm(
        request.POST or None,
        cases=case_list_open_for_change(user=request.user),
        initial={"case": case_id},
    )
    status = 400 if form.is_bound else 200
    if form.is_bound:
        try:
            saved = form_save(
                form,
                lambda data: placements.hold_any_free(actor=request.user, shelter=shelter, **data),
            )
        except BedTaken as exc:
            messages.error(request, str(exc))
            status = 409
            row = _board_row(request, shelter)
        else:
            if saved:
                messages.success(request, _held_message(saved.value, shelter))
                return redirect("shelters:my_holds")
    context = {"shelter": shelter, "row": row, "form": form}
    return render(request, "shelters/hold_form.html", context, status=status)


@login_required
def my_holds(request: AuthedHttpRequest) -> HttpResponse:
    require_holder(request)
    holds = selectors.holds_for_caseworker(user=request.user)
    return render(request, "shelters/my_holds.html", {"holds": holds})


@require_POST
@login_required
def hold_release(request: AuthedHttpRequest, hold_id: str) -> HttpResponse:
    hold = selectors.hold_get(user=request.user, hold_id=hold_id, as_manager=False)
    asking = hold.ended_at is None and ask_first(
        request,
        title=_("Release the hold on %(bed)s?") % {"bed": hold.bed},
        consequences=[
            _("The bed is free again at once, for any center to hold."),
            _("If she still needs it, it may be gone when she arrives."),
        ],
        confirm_label=_("Release the hold"),
        cancel_url=_back_from_hold(request, hold),
    )
    if asking:
        return asking
    try:
        placements.hold_release(actor=request.user, hold=hold)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The hold is released; the bed is free again."))
    return redirect(_back_from_hold(request, hold))


def _back_from_hold(request: AuthedHttpRequest, hold: Occupancy) -> str:
    back = request.POST.get("back")
    if back == "grid":
        return reverse("shelters:grid", args=[hold.bed.shelter_id])
    if back == "case":
        return reverse("cases:case_detail", args=[hold.case_id])
    return reverse("shelters:my_holds")


# -- The bed grid (shelter managers) --------------------------------------------------------


def _free_beds_of(shelter: Shelter, *, besides: Bed | None = None) -> QuerySet[Bed]:
    beds = selectors.free_beds().filter(shelter=shelter).select_related("room")
    return beds.exclude(pk=besides.pk) if besides is not None else beds


def _grid_context(request: AuthedHttpRequest, shelter: Shelter) -> dict[str, Any]:
    rooms = selectors.bed_grid(shelter=shelter)
    free = list(_free_beds_of(shelter))
    holds = list(selectors.holds_for_manager(user=request.user).filter(bed__shelter=shelter))
    return {
        "shelter": shelter,
        "rooms": rooms,
        "holds": [
            (
                hold,
                ConfirmHoldForm(free=_free_beds_of(shelter), offered=free, prefix=str(hold.pk)),
            )
            for hold in holds
        ],
        "free_count": len(free),
        "outcomes": Occupancy.Outcome.choices,
        "can_set_up": selectors.shelters_set_up_by(user=request.user)
        .filter(pk=shelter.pk)
        .exists(),
    }


def _render_grid(request: AuthedHttpRequest, shelter: Shelter, status: int = 200) -> HttpResponse:
    return render(request, "shelters/grid.html", _grid_context(request, shelter), status=status)


@login_required
def grid(request: AuthedHttpRequest, shelter_id: str) -> HttpResponse:
    shelter = selectors.shelter_get_for_manager(user=request.user, shelter_id=shelter_id)
    return _render_grid(request, shelter)


@login_required
def my_shelter(request: AuthedHttpRequest) -> HttpResponse:
    """A manager of one shelter lands on its grid; otherwise the shelters to run or set up."""
    managed = list(selectors.shelters_managed_by(user=request.user).select_related("region"))
    can_set_up = selectors.organisations_setting_up_shelters(user=request.user).exists()
    if not managed and not can_set_up:
        raise PermissionDenied
    if len(managed) == 1:
        return redirect("shelters:grid", shelter_id=managed[0].pk)
    set_up = selectors.shelters_set_up_by(user=request.user).select_related("region")
    context = {"managed": managed, "set_up": set_up, "can_set_up": can_set_up}
    return render(request, "shelters/my_shelters.html", context)


def _grid_again(
    request: AuthedHttpRequest, shelter: Shelter, errors: list[str], *, status: int = 400
) -> HttpResponse:
    """The grid's forms sit in its tiles: a refused one shows the grid again, with why."""
    for message in errors:
        messages.error(request, message)
    return _render_grid(request, shelter, status=status)


def _grid_save(
    request: AuthedHttpRequest,
    shelter: Shelter,
    form: Form,
    save: Callable[[dict[str, Any]], T],
) -> Saved[T] | HttpResponse:
    """form_save for the grid: a refusal, or a bed taken a moment ago (409), is the grid."""
    try:
        saved = form_save(form, save)
    except BedTaken as exc:
        return _grid_again(request, shelter, [str(exc)], status=409)
    return saved or _grid_again(request, shelter, all_form_errors(form))


@require_POST
@login_required
def hold_confirm(request: AuthedHttpRequest, hold_id: str) -> HttpResponse:
    hold = selectors.hold_get(user=request.user, hold_id=hold_id, as_manager=True)
    shelter = hold.bed.shelter
    form = ConfirmHoldForm(request.POST, free=_free_beds_of(shelter), prefix=str(hold.pk))
    saved = _grid_save(
        request,
        shelter,
        form,
        lambda data: placements.hold_confirm(
            actor=request.user,
            hold=hold,
            expected_end=data["expected_end"],
            children_beds=list(data.get("children_beds", [])),
        ),
    )
    if not isinstance(saved, Saved):
        return saved
    stay, warnings = saved.value
    return _admitted(request, stay, warnings)


@require_POST
@login_required
def bed_toggle(request: AuthedHttpRequest, bed_id: str) -> HttpResponse:
    """One click on a tile: out of service or isolation, on or off."""
    bed = selectors.bed_get_for_manager(user=request.user, bed_id=bed_id)
    form = ToggleForm(request.POST)
    error: ValidationError | None = None
    if not form.is_valid():
        error = ValidationError(_("Choose out of service or isolation."))
    else:
        name = form.cleaned_data["field"]
        flip: dict[str, Any] = {name: not getattr(bed, name)}  # out_of_service or isolation
        try:
            bed = services.bed_update(actor=request.user, bed=bed, **flip)
        except ValidationError as exc:
            error = exc
    if not is_htmx(request):
        if error is None:
            return redirect("shelters:grid", shelter_id=bed.shelter_id)
        return _grid_again(request, bed.shelter, error.messages)
    context = {
        "gb": selectors.grid_bed(bed=bed, user=request.user),
        "outcomes": Occupancy.Outcome.choices,
        "tile_errors": error.messages if error else [],
    }
    return render(request, "shelters/_bed_tile.html", context, status=400 if error else 200)


def _admitted(request: AuthedHttpRequest, stay: Occupancy, warnings: list[str]) -> HttpResponse:
    for warning in warnings:
        messages.warning(request, warning)
    messages.success(
        request,
        _("%(code)s is admitted: %(bed)s.") % {"code": stay.case.survivor.code, "bed": stay.bed},
    )
    return redirect("shelters:grid", shelter_id=stay.bed.shelter_id)


@login_required
def bed_admit(request: AuthedHttpRequest, bed_id: str) -> HttpResponse:
    """Straight into a free bed, by the survivor code of a case of the shelter's center."""
    bed = selectors.bed_get_for_manager(user=request.user, bed_id=bed_id)
    form = AdmitForm(request.POST or None, free=_free_beds_of(bed.shelter, besides=bed))
    status = 400 if form.is_bound else 200

    def admit(data: dict[str, Any]) -> tuple[Occupancy, list[str]]:
        data = dict(data)
        code = data.pop("survivor_code")
        case = selectors.case_for_admission(shelter=bed.shelter, survivor_code=code)
        if case is None:
            raise ValidationError(
                {"survivor_code": [_("No open case of your center has this survivor code.")]}
            )
        return placements.stay_admit(actor=request.user, bed=bed, case=case, **data)

    if form.is_bound:
        try:
            saved = form_save(form, admit)
        except BedTaken as exc:
            messages.error(request, str(exc))
            status = 409
        else:
            if saved:
                return _admitted(request, *saved.value)
    context = {"shelter": bed.shelter, "bed": bed, "form": form}
    return render(request, "shelters/admit_form.html", context, status=status)


@require_POST
@login_required
def stay_discharge(request: AuthedHttpRequest, stay_id: str) -> HttpResponse:
    stay = selectors.stay_get_for_manager(user=request.user, stay_id=stay_id)
    form = DischargeForm(request.POST)
    if form.is_valid() and stay.ended_at is None:
        outcome = Occupancy.Outcome(form.cleaned_data["outcome"]).label
        asking = ask_first(
            request,
            title=_("Discharge %(code)s?") % {"code": stay.case.survivor.code},
            consequences=[
                _("Her stay ends today with the outcome “%(outcome)s”.") % {"outcome": outcome},
                _("The bed is free again, and so are her children's beds."),
                _("Stay reminders for her stop."),
            ],
            confirm_label=_("Discharge her"),
            cancel_url=reverse("shelters:grid", args=[stay.bed.shelter_id]),
        )
        if asking:
            return asking
    saved = _grid_save(
        request,
        stay.bed.shelter,
        form,
        lambda data: placements.stay_discharge(
            actor=request.user, stay=stay, outcome=data["outcome"]
        ),
    )
    if not isinstance(saved, Saved):
        return saved
    messages.success(request, _("%(code)s is discharged.") % {"code": stay.case.survivor.code})
    return redirect("shelters:grid", shelter_id=stay.bed.shelter_id)


@require_POST
@login_required
def stay_edit(request: AuthedHttpRequest, stay_id: str) -> HttpResponse:
    stay = selectors.stay_get_for_manager(user=request.user, stay_id=stay_id)
    saved = _grid_save(
        request,
        stay.bed.shelter,
        StayEditForm(request.POST),
        lambda data: placements.stay_update(
            actor=request.user, stay=stay, expected_end=data["expected_end"]
        ),
    )
    if not isinstance(saved, Saved):
        return saved
    for warning in saved.value[1]:
        messages.warning(request, warning)
    messages.success(request, _("Expected end saved."))
    return redirect("shelters:grid", shelter_id=stay.bed.shelter_id)
