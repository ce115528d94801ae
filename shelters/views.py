"""Shelter pages: the network board, holds, a shelter's bed grid, set-up and turn-aways.

Access goes through the selectors (objects outside the caller's scope are 404, pages a
role has no business on are 403); every write goes through the services. A bed taken a
moment ago is answered 409 with the page again and the message, never a 500.
"""

from __future__ import annotations

import csv
import datetime
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.models import Case
from cases.selectors import case_scope_q
from crisis_ops.core.forms import add_service_errors
from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.organisations.models import Organisation
from shelters import selectors, services
from shelters.board import BoardRow, availability_board
from shelters.forms import (
    AdmitForm,
    BedForm,
    BoardFilterForm,
    ConfirmHoldForm,
    DischargeForm,
    HoldForm,
    PeriodForm,
    RoomForm,
    ShelterCreateForm,
    ShelterEditForm,
    StayEditForm,
    ToggleForm,
    TurnAwayForm,
)
from shelters.models import Bed, Occupancy, Shelter, TurnAway
from shelters.services import LONG_STAY, BedTaken

STALE_AFTER = datetime.timedelta(hours=24)
TURN_AWAY_DAYS = 30
TURN_AWAY_ROWS = 200


def _is_htmx(request: AuthedHttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _uuid_or_none(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _require_member(request: AuthedHttpRequest) -> None:
    if not request.user.active_roles():
        raise PermissionDenied


def _require_holder(request: AuthedHttpRequest) -> None:
    if not selectors.can_hold_beds(request.user):
        raise PermissionDenied


# -- The network board ----------------------------------------------------------------------


def _board(request: AuthedHttpRequest) -> dict[str, Any]:
    """Rows for the valid filters; a bad filter value is named and left out, never a 500."""
    _require_member(request)
    filters = BoardFilterForm(request.GET or None)
    data: dict[str, Any] = {}
    if filters.is_bound:
        filters.is_valid()
        data = {name: value for name, value in filters.cleaned_data.items() if value}
    region = data.get("region")
    rows = availability_board(
        user=request.user,
        region_id=region.pk if region else None,
        kind=data.get("kind", ""),
        accessible=data.get("accessible", False),
    )
    query = {key: value for key, value in request.GET.items() if key in data}
    case_id = _uuid_or_none(request.GET.get("case", ""))
    if case_id:
        query["case"] = case_id
    return {
        "case_id": case_id,
        "filters": filters,
        "rows": rows,
        "query": urlencode(query),
        "stale_before": timezone.now() - STALE_AFTER,
        "can_hold": selectors.can_hold_beds(request.user),
    }


@login_required
def board(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "shelters/board.html", _board(request))


@login_required
def board_rows(request: AuthedHttpRequest) -> HttpResponse:
    """The results alone: htmx reloads them every 30 s and when a filter changes."""
    return render(request, "shelters/_board_rows.html", _board(request))


def _csv_cell(value: object) -> object:
    """Free text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@login_required
def board_csv(request: AuthedHttpRequest) -> HttpResponse:
    context = _board(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="shelter-beds.csv"'
    # Excel reads a CSV without a byte-order mark as the local code page: Cyrillic breaks.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Region"),
            _("Shelter"),
            _("Organisation"),
            _("Free adult beds"),
            _("Free child beds"),
            _("Free cots"),
            _("Free accessible beds"),
            _("Free isolation beds"),
            _("Beds in service"),
            _("Beds in total"),
            _("Intake phone"),
            _("Beds last updated"),
            _("Street address"),
        ]
    )
    for row in context["rows"]:
        shelter = row.shelter
        updated = timezone.localtime(row.updated_at).isoformat() if row.updated_at else ""
        # The phone is digits, spaces and +-() only (services._clean_phone): no formula.
        cells = [
            _csv_cell(shelter.region.name),
            _csv_cell(shelter.name),
            _csv_cell(shelter.organisation.name),
            row.free["adult"],
            row.free["child"],
            row.free["cot"],
            row.free_accessible,
            row.free_isolation,
            row.in_service,
            row.total,
            shelter.intake_phone,
            updated,
            _csv_cell(shelter.address) if row.show_address else "",
        ]
        writer.writerow(cells)
    return response


# -- Holds (caseworkers) --------------------------------------------------------------------


def _open_cases(request: AuthedHttpRequest) -> QuerySet[Case]:
    """Cases she may change and place, her own first: open, of her center or named to her."""
    mine = ExpressionWrapper(Q(assigned_to=request.user), output_field=BooleanField())
    return (
        Case.objects.filter(case_scope_q(request.user, codename="change_case"))
        .exclude(status=Case.Status.CLOSED)
        .select_related("survivor")
        .annotate(mine=mine)
        .order_by("-mine", "-opened_on", "reference")
    )


def _board_row(request: AuthedHttpRequest, shelter: Shelter) -> BoardRow | None:
    rows = availability_board(user=request.user, region_id=shelter.region_id)
    return next((row for row in rows if row.shelter.pk == shelter.pk), None)


def _held_message(hold: Occupancy, shelter: Shelter) -> str:
    return _(
        "Bed %(bed)s at %(shelter)s is held for you until %(until)s. "
        "Call the intake phone %(phone)s to arrange her arrival."
    ) % {
        "bed": hold.bed,
        "shelter": shelter.name,
        "until": timezone.localtime(hold.hold_expires_at).strftime("%H:%M"),
        "phone": shelter.intake_phone,
    }


@login_required
def hold_place(request: AuthedHttpRequest, shelter_id: str) -> HttpResponse:
    _require_holder(request)
    shelter = selectors.shelter_get_for_hold(shelter_id=shelter_id)
    row = _board_row(request, shelter)
    kind = next((k for k in Bed.Kind.values if row and row.free.get(k)), Bed.Kind.ADULT)
    case_id = _uuid_or_none(request.GET.get("case", ""))
    form = HoldForm(
        request.POST or None, cases=_open_cases(request), initial={"case": case_id, "kind": kind}
    )
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        try:
            hold = services.hold_any_free(actor=request.user, shelter=shelter, **form.cleaned_data)
        except BedTaken as exc:
            messages.error(request, str(exc))
            status = 409
            row = _board_row(request, shelter)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _held_message(hold, shelter))
            return redirect("shelters:my_holds")
    context = {"shelter": shelter, "row": row, "form": form}
    return render(request, "shelters/hold_form.html", context, status=status)


@login_required
def my_holds(request: AuthedHttpRequest) -> HttpResponse:
    _require_holder(request)
    holds = selectors.holds_for_caseworker(request.user)
    return render(request, "shelters/my_holds.html", {"holds": holds})


@require_POST
@login_required
def hold_release(request: AuthedHttpRequest, hold_id: str) -> HttpResponse:
    hold = selectors.hold_get(user=request.user, hold_id=hold_id, as_manager=False)
    try:
        services.hold_release(actor=request.user, hold=hold)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The hold is released; the bed is free again."))
    back = request.POST.get("back")
    if back == "grid":
        return redirect("shelters:grid", shelter_id=hold.bed.shelter_id)
    if back == "case":
        return redirect("cases:case_detail", case_id=hold.case_id)
    return redirect("shelters:my_holds")


# -- The bed grid (shelter managers) --------------------------------------------------------


def _free_beds_of(shelter: Shelter, *, besides: Bed | None = None) -> QuerySet[Bed]:
    beds = selectors.free_beds().filter(shelter=shelter).select_related("room")
    return beds.exclude(pk=besides.pk) if besides is not None else beds


def _long_stays(occupancies: list[Occupancy]) -> set[Any]:
    """Stays planned past the law's 6 months: the grid warns, it never blocks."""
    return {
        o.pk
        for o in occupancies
        if o.kind == Occupancy.Kind.STAY
        and o.expected_end
        and o.admitted_on
        and o.expected_end - o.admitted_on > LONG_STAY
    }


def _grid_context(request: AuthedHttpRequest, shelter: Shelter) -> dict[str, Any]:
    rooms = selectors.bed_grid(shelter)
    occupancies = [gb.occupancy for _room, beds in rooms for gb in beds if gb.occupancy]
    free = list(_free_beds_of(shelter))
    holds = list(selectors.holds_for_manager(request.user).filter(bed__shelter=shelter))
    return {
        "shelter": shelter,
        "rooms": rooms,
        "holds": [
            (hold, ConfirmHoldForm(free=_free_beds_of(shelter), prefix=str(hold.pk)))
            for hold in holds
        ],
        "free_count": len(free),
        "long_stays": _long_stays(occupancies),
        "outcomes": Occupancy.Outcome.choices,
        "can_set_up": selectors.shelters_set_up_by(request.user).filter(pk=shelter.pk).exists(),
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
    managed = list(selectors.shelters_managed_by(request.user).select_related("region"))
    can_set_up = selectors.organisations_setting_up_shelters(request.user).exists()
    if not managed and not can_set_up:
        raise PermissionDenied
    if len(managed) == 1:
        return redirect("shelters:grid", shelter_id=managed[0].pk)
    set_up = selectors.shelters_set_up_by(request.user).select_related("region")
    context = {"managed": managed, "set_up": set_up, "can_set_up": can_set_up}
    return render(request, "shelters/my_shelters.html", context)


def _after_grid_action(
    request: AuthedHttpRequest, shelter: Shelter, error: Exception | None
) -> HttpResponse:
    """Shared tail of the grid's forms: on bad input, the grid again with the message."""
    if error is None:
        return redirect("shelters:grid", shelter_id=shelter.pk)
    texts = error.messages if isinstance(error, ValidationError) else [str(error)]
    for message in texts:
        messages.error(request, message)
    return _render_grid(request, shelter, status=409 if isinstance(error, BedTaken) else 400)


def _form_error(form: Form) -> ValidationError:
    return ValidationError(
        [
            f"{form.fields[name].label}: {e}" if name in form.fields else e
            for name, errors in form.errors.items()
            for e in errors
        ]
    )


@require_POST
@login_required
def hold_confirm(request: AuthedHttpRequest, hold_id: str) -> HttpResponse:
    hold = selectors.hold_get(user=request.user, hold_id=hold_id, as_manager=True)
    shelter = hold.bed.shelter
    form = ConfirmHoldForm(request.POST, free=_free_beds_of(shelter), prefix=str(hold.pk))
    if not form.is_valid():
        return _after_grid_action(request, shelter, _form_error(form))
    try:
        stay, warnings = services.hold_confirm(
            actor=request.user,
            hold=hold,
            expected_end=form.cleaned_data["expected_end"],
            children_beds=list(form.cleaned_data.get("children_beds", [])),
        )
    except (BedTaken, ValidationError) as exc:
        return _after_grid_action(request, shelter, exc)
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
    if not _is_htmx(request):
        return _after_grid_action(request, bed.shelter, error)
    grid_bed = selectors.grid_bed(bed)
    occupancies = [grid_bed.occupancy] if grid_bed.occupancy else []
    context = {
        "gb": grid_bed,
        "long_stays": _long_stays(occupancies),
        "outcomes": Occupancy.Outcome.choices,
        "tile_errors": error.messages if error else [],
    }
    return render(request, "shelters/_bed_tile.html", context, status=400 if error else 200)


def _admitted(request: AuthedHttpRequest, stay: Occupancy, warnings: list[str]) -> HttpResponse:
    for warning in warnings:
        messages.warning(request, warning)
    messages.success(
        request,
        _("%(code)s is admitted to bed %(bed)s.")
        % {"code": stay.case.survivor.code, "bed": stay.bed},
    )
    return redirect("shelters:grid", shelter_id=stay.bed.shelter_id)


@login_required
def bed_admit(request: AuthedHttpRequest, bed_id: str) -> HttpResponse:
    """Straight into a free bed, by the survivor code of a case of the shelter's center."""
    bed = selectors.bed_get_for_manager(user=request.user, bed_id=bed_id)
    form = AdmitForm(request.POST or None, free=_free_beds_of(bed.shelter, besides=bed))
    status = 400 if form.is_bound else 200
    if form.is_bound and form.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("survivor_code")
        case = selectors.case_for_admission(shelter=bed.shelter, survivor_code=code)
        if case is None:
            form.add_error(
                "survivor_code", _("No open case of your center has this survivor code.")
            )
        else:
            try:
                stay, warnings = services.stay_admit(actor=request.user, bed=bed, case=case, **data)
            except BedTaken as exc:
                messages.error(request, str(exc))
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return _admitted(request, stay, warnings)
    context = {"shelter": bed.shelter, "bed": bed, "form": form}
    return render(request, "shelters/admit_form.html", context, status=status)


@require_POST
@login_required
def stay_discharge(request: AuthedHttpRequest, stay_id: str) -> HttpResponse:
    stay = selectors.stay_get_for_manager(user=request.user, stay_id=stay_id)
    form = DischargeForm(request.POST)
    if not form.is_valid():
        return _after_grid_action(request, stay.bed.shelter, _form_error(form))
    try:
        services.stay_discharge(actor=request.user, stay=stay, outcome=form.cleaned_data["outcome"])
    except ValidationError as exc:
        return _after_grid_action(request, stay.bed.shelter, exc)
    messages.success(request, _("%(code)s is discharged.") % {"code": stay.case.survivor.code})
    return _after_grid_action(request, stay.bed.shelter, None)


@require_POST
@login_required
def stay_edit(request: AuthedHttpRequest, stay_id: str) -> HttpResponse:
    stay = selectors.stay_get_for_manager(user=request.user, stay_id=stay_id)
    form = StayEditForm(request.POST)
    if not form.is_valid():
        return _after_grid_action(request, stay.bed.shelter, _form_error(form))
    try:
        _stay, warnings = services.stay_update(
            actor=request.user, stay=stay, expected_end=form.cleaned_data["expected_end"]
        )
    except ValidationError as exc:
        return _after_grid_action(request, stay.bed.shelter, exc)
    for warning in warnings:
        messages.warning(request, warning)
    messages.success(request, _("Expected end saved."))
    return _after_grid_action(request, stay.bed.shelter, None)


# -- Set-up (org admins and shelter managers) -----------------------------------------------


@login_required
def shelter_new(request: AuthedHttpRequest) -> HttpResponse:
    memberships = selectors.organisations_setting_up_shelters(request.user)
    if not memberships.exists():
        raise PermissionDenied
    organisations = Organisation.objects.filter(pk__in=memberships.values("organisation_id"))
    form = ShelterCreateForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            shelter = services.shelter_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Shelter created. Now add its rooms and beds."))
            return redirect("shelters:shelter_setup", shelter_id=shelter.pk)
    status = 400 if form.is_bound else 200
    return render(request, "shelters/shelter_new.html", {"form": form}, status=status)


def _render_setup(
    request: AuthedHttpRequest, shelter: Shelter, bound: dict[str, Form] | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "shelter": shelter,
        "rooms": shelter.rooms.prefetch_related("beds"),
        "shelter_form": ShelterEditForm(
            initial={
                "name": shelter.name,
                "region": shelter.region_id,
                "address": shelter.address,
                "intake_phone": shelter.intake_phone,
                "is_active": shelter.is_active,
            }
        ),
        "room_form": RoomForm(),
        "bed_form": BedForm(shelter=shelter),
        **(bound or {}),
    }
    return render(request, "shelters/setup.html", context, status=400 if bound else 200)


@login_required
def shelter_setup(request: AuthedHttpRequest, shelter_id: str) -> HttpResponse:
    shelter = selectors.shelter_get_for_setup(user=request.user, shelter_id=shelter_id)
    if request.method != "POST":
        return _render_setup(request, shelter)
    form = ShelterEditForm(request.POST)
    if form.is_valid():
        try:
            services.shelter_update(actor=request.user, shelter=shelter, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("shelters:shelter_setup", shelter_id=shelter.pk)
    shelter.refresh_from_db()
    return _render_setup(request, shelter, {"shelter_form": form})


@require_POST
@login_required
def room_add(request: AuthedHttpRequest, shelter_id: str) -> HttpResponse:
    shelter = selectors.shelter_get_for_setup(user=request.user, shelter_id=shelter_id)
    form = RoomForm(request.POST)
    if form.is_valid():
        try:
            services.room_create(
                actor=request.user, shelter=shelter, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Room added."))
            return redirect("shelters:shelter_setup", shelter_id=shelter.pk)
    return _render_setup(request, shelter, {"room_form": form})


@require_POST
@login_required
def bed_add(request: AuthedHttpRequest, shelter_id: str) -> HttpResponse:
    shelter = selectors.shelter_get_for_setup(user=request.user, shelter_id=shelter_id)
    form = BedForm(request.POST, shelter=shelter)
    if form.is_valid():
        try:
            services.bed_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Bed added."))
            return redirect("shelters:shelter_setup", shelter_id=shelter.pk)
    return _render_setup(request, shelter, {"bed_form": form})


# -- Turn-aways -----------------------------------------------------------------------------


@login_required
def turn_aways(request: AuthedHttpRequest) -> HttpResponse:
    _require_member(request)
    shelters = selectors.turn_away_shelters_for(request.user)
    can_record = shelters.exists()
    form = TurnAwayForm(request.POST or None, shelters=shelters)
    status = 200
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.turn_away_record(
                    actor=request.user,
                    requesting_organisation=selectors.requesting_organisation_for(
                        request.user, data["shelter"]
                    ),
                    **data,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Turn-away recorded."))
                return redirect("shelters:turn_aways")
    period = PeriodForm(request.GET or None)
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=TURN_AWAY_DAYS), today
    if period.is_bound:
        if period.is_valid():
            start = period.cleaned_data["start"] or start
            end = period.cleaned_data["end"] or end
        else:
            messages.error(request, _("Those dates could not be read; showing the last 30 days."))
    listed = selectors.turn_aways_visible_to(request.user).filter(occurred_on__range=(start, end))
    reasons = dict(TurnAway.Reason.choices)
    figures = [
        {**row, "label": reasons.get(row["reason"], row["reason"])}
        for row in selectors.turn_away_figures(listed)
    ]
    context = {
        "form": form if can_record else None,
        "period": period,
        "start": start,
        "end": end,
        "turn_aways": listed[:TURN_AWAY_ROWS],
        "figures": figures,
    }
    return render(request, "shelters/turn_aways.html", context, status=status)
