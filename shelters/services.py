"""Writes that set shelters up and record turn-aways; holds and stays are in
services_placements.py (the same seam as api.py / api_placements.py).

Permissions are the caller's job (views and API views go through the selectors);
these functions check the domain rules: a bed with someone in it does not go out of
service, a shelter with residents does not close.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.encryption.normalise import normalise_phone
from crisis_ops.organisations.models import Organisation, Region
from shelters.concurrency import retry_on_deadlock
from shelters.models import Bed, Occupancy, Room, Shelter, TurnAway

MAX_PEOPLE_TURNED_AWAY = 20


def beds_touched(*shelter_ids: uuid.UUID) -> None:
    """The board shows when a shelter's beds last changed, so a stale shelter is visible."""
    Shelter.objects.filter(pk__in=shelter_ids).update(beds_updated_at=timezone.now())


def active_on(bed: Bed) -> QuerySet[Occupancy]:
    return Occupancy.objects.filter(bed=bed, ended_at__isnull=True)


# -- Set-up: shelters, rooms, beds ---------------------------------------------------------


def _clean_phone(phone: str) -> str:
    """The intake phone as typed (callers read it), if it is a number by the project's
    phone rule, written with digits, spaces, +, - and brackets only."""
    phone = " ".join(phone.split())
    try:
        normalise_phone(phone)
    except ValueError as exc:
        raise ValidationError({"intake_phone": [str(exc)]}) from exc
    if any(ch not in "0123456789+-() " for ch in phone):
        raise ValidationError({"intake_phone": [_("Enter a phone number, e.g. +7 727 000 00 00.")]})
    return phone


@transaction.atomic
def shelter_create(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    region: Region,
    address: str,
    intake_phone: str,
) -> Shelter:
    if not name.strip():
        raise ValidationError({"name": [_("Give the shelter a name.")]})
    shelter = Shelter.objects.create(
        organisation=organisation,
        name=name.strip(),
        region=region,
        address=address.strip(),
        intake_phone=_clean_phone(intake_phone),
    )
    audit_record(
        action="shelter.created", actor=actor, obj=shelter, organisation_id=organisation.pk
    )
    return shelter


@transaction.atomic
def shelter_update(
    *,
    actor: User,
    shelter: Shelter,
    name: str | None = None,
    region: Region | None = None,
    address: str | None = None,
    intake_phone: str | None = None,
    is_active: bool | None = None,
) -> Shelter:
    if name is not None:
        if not name.strip():
            raise ValidationError({"name": [_("Give the shelter a name.")]})
        shelter.name = name.strip()
    if region is not None:
        shelter.region = region
    if address is not None:
        shelter.address = address.strip()
    if intake_phone is not None:
        shelter.intake_phone = _clean_phone(intake_phone)
    if is_active is not None:
        if (
            not is_active
            and Occupancy.objects.filter(
                bed__shelter=shelter, ended_at__isnull=True, kind=Occupancy.Kind.STAY
            ).exists()
        ):
            raise ValidationError(_("Discharge every resident before closing the shelter."))
        shelter.is_active = is_active
    shelter.save()
    audit_record(
        action="shelter.updated", actor=actor, obj=shelter, organisation_id=shelter.organisation_id
    )
    return shelter


@transaction.atomic
def room_create(*, actor: User, shelter: Shelter, name: str) -> Room:
    name = name.strip()
    if not name:
        raise ValidationError({"name": [_("Give the room a name or number.")]})
    if shelter.rooms.filter(name=name).exists():
        raise ValidationError({"name": [_("This shelter already has a room with that name.")]})
    room = Room.objects.create(shelter=shelter, name=name)
    audit_record(
        action="room.created", actor=actor, obj=room, organisation_id=shelter.organisation_id
    )
    return room


@retry_on_deadlock
@transaction.atomic
def bed_create(
    *,
    actor: User,
    room: Room,
    label: str,
    kind: str = Bed.Kind.ADULT,
    wheelchair_accessible: bool = False,
    isolation: bool = False,
) -> Bed:
    label = label.strip()
    if not label:
        raise ValidationError({"label": [_("Give the bed a label or number.")]})
    if kind not in Bed.Kind.values:
        raise ValidationError({"kind": [_("Choose one of the offered bed kinds.")]})
    if room.beds.filter(label=label).exists():
        raise ValidationError({"label": [_("This room already has a bed with that label.")]})
    bed = Bed.objects.create(
        shelter_id=room.shelter_id,
        room=room,
        label=label,
        kind=kind,
        wheelchair_accessible=wheelchair_accessible,
        isolation=isolation,
    )
    beds_touched(room.shelter_id)
    audit_record(
        action="bed.created", actor=actor, obj=bed, organisation_id=room.shelter.organisation_id
    )
    return bed


@retry_on_deadlock
@transaction.atomic
def bed_update(
    *,
    actor: User,
    bed: Bed,
    out_of_service: bool | None = None,
    isolation: bool | None = None,
    wheelchair_accessible: bool | None = None,
    kind: str | None = None,
) -> Bed:
    """One click on the grid: out of service, isolation, accessibility or kind."""
    bed = Bed.objects.select_for_update().select_related("shelter").get(pk=bed.pk)
    if kind is not None:
        if kind not in Bed.Kind.values:
            raise ValidationError({"kind": [_("Choose one of the offered bed kinds.")]})
        bed.kind = kind
    if out_of_service is not None:
        if out_of_service and active_on(bed).filter(kind=Occupancy.Kind.STAY).exists():
            raise ValidationError(_("Someone is staying in this bed; discharge her first."))
        bed.out_of_service = out_of_service
    if isolation is not None:
        bed.isolation = isolation
    if wheelchair_accessible is not None:
        bed.wheelchair_accessible = wheelchair_accessible
    bed.save()
    beds_touched(bed.shelter_id)
    audit_record(
        action="bed.updated", actor=actor, obj=bed, organisation_id=bed.shelter.organisation_id
    )
    return bed


# -- Turn-aways -----------------------------------------------------------------------------


@transaction.atomic
def turn_away_record(
    *,
    actor: User,
    shelter: Shelter,
    reason: str,
    bed_kind: str,
    people: int = 1,
    requesting_organisation: Organisation | None = None,
    occurred_on: datetime.date | None = None,
) -> TurnAway:
    """A request for a bed that could not be met, with why: the figures advocacy needs."""
    occurred_on = occurred_on or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if reason not in TurnAway.Reason.values:
        errors["reason"] = [_("Choose one of the offered reasons.")]
    if bed_kind not in Bed.Kind.values:
        errors["bed_kind"] = [_("Choose one of the offered bed kinds.")]
    if not 1 <= people <= MAX_PEOPLE_TURNED_AWAY:
        errors["people"] = [_("Between 1 and %(most)d people.") % {"most": MAX_PEOPLE_TURNED_AWAY}]
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = [_("A turn-away cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    turn_away = TurnAway.objects.create(
        shelter=shelter,
        requesting_organisation=requesting_organisation,
        reason=reason,
        bed_kind=bed_kind,
        people=people,
        occurred_on=occurred_on,
        recorded_by=actor,
    )
    audit_record(
        action="turn_away.recorded",
        actor=actor,
        obj=turn_away,
        organisation_id=shelter.organisation_id,
    )
    return turn_away
