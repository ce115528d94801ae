"""Shelter pages: the network board, set-up and turn-aways; holds and the bed grid are in
views_placements.py (the same seam as services and the API).

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
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisis_ops.core.forms import form_save
from crisis_ops.core.spreadsheets import spreadsheet_cell
from crisis_ops.core.typing import AuthedHttpRequest
from shelters import selectors, services
from shelters.board import availability_board
from shelters.forms import (
    BedForm,
    BoardFilterForm,
    PeriodForm,
    RoomForm,
    ShelterCreateForm,
    ShelterEditForm,
    TurnAwayForm,
)
from shelters.models import Shelter, TurnAway

STALE_AFTER = datetime.timedelta(hours=24)
TURN_AWAY_DAYS = 30
TURN_AWAY_ROWS = 200


def is_htmx(request: AuthedHttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def uuid_or_none(value: str) -> str | None:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def _require_member(request: AuthedHttpRequest) -> None:
    if not request.user.active_roles():
        raise PermissionDenied


def require_holder(request: AuthedHttpRequest) -> None:
    if not selectors.can_hold_beds(user=request.user):
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
    case_id = uuid_or_none(request.GET.get("case", ""))
    if case_id:
        query["case"] = case_id
    return {
        "case_id": case_id,
        "filters": filters,
        "rows": rows,
        "query": urlencode(query),
        "stale_before": timezone.now() - STALE_AFTER,
        "can_hold": selectors.can_hold_beds(user=request.user),
    }


@login_required
def board(request: AuthedHttpRequest) -> HttpResponse:
    return render(request, "shelters/board.html", _board(request))


@login_required
def board_rows(request: AuthedHttpRequest) -> HttpResponse:
    """The results alone: htmx reloads them every 30 s and when a filter changes."""
    return render(request, "shelters/_board_rows.html", _board(request))


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
            spreadsheet_cell(shelter.region.name),
            spreadsheet_cell(shelter.name),
            spreadsheet_cell(shelter.organisation.name),
            row.free["adult"],
            row.free["child"],
            row.free["cot"],
            row.free_accessible,
            row.free_isolation,
            row.in_service,
            row.total,
            shelter.intake_phone,
            updated,
            spreadsheet_cell(shelter.address) if row.show_address else "",
        ]
        writer.writerow(cells)
    return response


# -- Set-up (org admins and shelter managers) -----------------------------------------------


@login_required
def shelter_new(request: AuthedHttpRequest) -> HttpResponse:
    organisations = selectors.organisations_for_new_shelters(user=request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = ShelterCreateForm(request.POST or None, organisations=organisations)
    if form.is_bound and (
        saved := form_save(form, lambda data: services.shelter_create(actor=request.user, **data))
    ):
        messages.success(request, _("Shelter created. Now add its rooms and beds."))
        return redirect("shelters:shelter_setup", shelter_id=saved.value.pk)
    status = 400 if form.is_bound else 200
    return render(request, "shelters/shelter_new.html", {"form": form}, status=status)


def _render_setup(
    request: AuthedHttpRequest, shelter: Shelter, bound: dict[str, Form] | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "shelter": shelter,
        "rooms": selectors.setup_rooms(shelter=shelter),
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
    if form_save(
        form, lambda data: services.shelter_update(actor=request.user, shelter=shelter, **data)
    ):
        messages.success(request, _("Saved."))
        return redirect("shelters:shelter_setup", shelter_id=shelter.pk)
    shelter.refresh_from_db()
    return _render_setup(request, shelter, {"shelter_form": form})


@require_POST
@login_required
def room_add(request: AuthedHttpRequest, shelter_id: str) -> HttpResponse:
    shelter = selectors.shelter_get_for_setup(user=request.user, shelter_id=shelter_id)
    form = RoomForm(request.POST)
    if form_save(
        form,
        lambda data: services.room_create(actor=request.user, shelter=shelter, name=data["name"]),
    ):
        messages.success(request, _("Room added."))
        return redirect("shelters:shelter_setup", shelter_id=shelter.pk)
    return _render_setup(request, shelter, {"room_form": form})


@require_POST
@login_required
def bed_add(request: AuthedHttpRequest, shelter_id: str) -> HttpResponse:
    shelter = selectors.shelter_get_for_setup(user=request.user, shelter_id=shelter_id)
    form = BedForm(request.POST, shelter=shelter)
    if form_save(form, lambda data: services.bed_create(actor=request.user, **data)):
        messages.success(request, _("Bed added."))
        return redirect("shelters:shelter_setup", shelter_id=shelter.pk)
    return _render_setup(request, shelter, {"bed_form": form})


# -- Turn-aways -----------------------------------------------------------------------------


@login_required
def turn_aways(request: AuthedHttpRequest) -> HttpResponse:
    _require_member(request)
    shelters = selectors.turn_away_shelters_for(user=request.user)
    can_record = shelters.exists()
    form = TurnAwayForm(request.POST or None, shelters=shelters)
    status = 200
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        status = 400
        if form_save(
            form,
            lambda data: services.turn_away_record(
                actor=request.user,
                requesting_organisation=selectors.requesting_organisation_for(
                    user=request.user, shelter=data["shelter"]
                ),
                **data,
            ),
        ):
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
    listed = selectors.turn_aways_visible_to(user=request.user).filter(
        occurred_on__range=(start, end)
    )
    reasons = dict(TurnAway.Reason.choices)
    figures = [
        {**row, "label": reasons.get(row["reason"], row["reason"])}
        for row in selectors.turn_away_figures(turn_aways=listed)
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
