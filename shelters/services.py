"""Writes about shelters and beds. PostgreSQL guarantees one active hold or stay per bed;
the loser of a race gets BedTaken, which pages and the API answer with 409."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.reminders.services import reminders_cancel, reminders_schedule
from shelters.models import Bed, Occupancy, Shelter, TurnAway

HOLD_FOR = datetime.timedelta(minutes=90)
LONG_STAY = datetime.timedelta(days=183)  # the law's 6 months: warn, never block


class BedTaken(Exception):
    """Someone else took this bed a moment ago."""

    def __init__(self) -> None:
        super().__init__(_("This bed was just taken. Choose another one."))


def _audit(action: str, actor: User, obj: object, organisation_id: object) -> None:
    audit_record(action=action, actor=actor, obj=obj, organisation_id=organisation_id)  # type: ignore[arg-type]


def _touch(shelter_id: object) -> None:
    Shelter.objects.filter(pk=shelter_id).update(beds_updated_at=timezone.now())


def holds_expire(*, now: datetime.datetime | None = None, bed: Bed | None = None) -> int:
    """End holds past their 90 minutes (all of them, or one bed's before it is taken)."""
    expired = Occupancy.objects.filter(
        kind=Occupancy.Kind.HOLD, ended_at__isnull=True, hold_expires_at__lt=now or timezone.now()
    )
    if bed is not None:
        expired = expired.filter(bed=bed)
    return expired.update(ended_at=now or timezone.now(), end_reason="expired")


def _occupy(**fields: object) -> Occupancy:
    try:
        with transaction.atomic():
            return Occupancy.objects.create(**fields)
    except IntegrityError as exc:
        raise BedTaken from exc


@transaction.atomic
def bed_update(
    *, actor: User, bed: Bed, out_of_service: bool | None = None, isolation: bool | None = None
) -> Bed:
    if out_of_service is not None:
        bed.out_of_service = out_of_service
    if isolation is not None:
        bed.isolation = isolation
    bed.save(update_fields=["out_of_service", "isolation", "updated_at"])
    _touch(bed.shelter_id)
    _audit("bed.updated", actor, bed, bed.shelter.organisation_id)
    return bed


@transaction.atomic
def hold_place(*, actor: User, bed: Bed, case: Case, needs: str = "") -> Occupancy:
    """Reserve a bed for 90 minutes for a case of any center."""
    if bed.out_of_service:
        raise ValidationError(_("This bed is out of service."))
    holds_expire(bed=bed)
    hold = _occupy(
        bed=bed,
        case=case,
        kind=Occupancy.Kind.HOLD,
        placed_by=actor,
        hold_expires_at=timezone.now() + HOLD_FOR,
        needs=needs.strip(),
    )
    _touch(bed.shelter_id)
    _audit("hold.placed", actor, hold, case.organisation_id)
    return hold


@transaction.atomic
def hold_release(*, actor: User, hold: Occupancy) -> Occupancy:
    hold = Occupancy.objects.select_for_update().get(pk=hold.pk)
    if hold.kind != Occupancy.Kind.HOLD or hold.ended_at is not None:
        raise ValidationError(_("This hold has already ended."))
    hold.ended_at = timezone.now()
    hold.end_reason = "released"
    hold.save(update_fields=["ended_at", "end_reason", "updated_at"])
    _touch(hold.bed.shelter_id)
    _audit("hold.released", actor, hold, hold.bed.shelter.organisation_id)
    return hold


def _clean_stay(admitted_on: datetime.date, expected_end: datetime.date | None) -> list[str]:
    if admitted_on > timezone.localdate():
        raise ValidationError({"admitted_on": [_("An admission cannot be in the future.")]})
    if expected_end is not None and expected_end < admitted_on:
        raise ValidationError({"expected_end": [_("A stay cannot end before it starts.")]})
    if expected_end is not None and expected_end - admitted_on > LONG_STAY:
        return [_("A crisis-center stay is limited to 6 months; this one is planned longer.")]
    return []


def _schedule_stay_reminders(stay: Occupancy) -> None:
    from crisis_ops.reminders.models import Reminder
    from crisis_ops.reminders.services import Plan
    from shelters.reminders import stay_recipients

    if stay.expected_end is None:
        return
    days = (stay.expected_end - datetime.timedelta(days=3), stay.expected_end)
    reminders_schedule(
        plans=[
            Plan(Reminder.Kind.STAY_ENDING, stay, user, day)
            for day in days
            for user in stay_recipients(stay)
        ]
    )


@transaction.atomic
def hold_confirm(
    *, actor: User, hold: Occupancy, expected_end: datetime.date | None = None
) -> tuple[Occupancy, list[str]]:
    """The manager confirms: the hold becomes the stay, on the same bed, in the same row."""
    hold = Occupancy.objects.select_for_update().select_related("bed__shelter").get(pk=hold.pk)
    if hold.kind != Occupancy.Kind.HOLD or hold.ended_at is not None:
        raise ValidationError(_("This hold has already ended."))
    if hold.hold_expires_at and hold.hold_expires_at < timezone.now():
        holds_expire(bed=hold.bed)
        raise ValidationError(_("This hold expired; place a new one if the bed is still free."))
    warnings = _clean_stay(timezone.localdate(), expected_end)
    hold.kind = Occupancy.Kind.STAY
    hold.admitted_on = timezone.localdate()
    hold.expected_end = expected_end
    hold.hold_expires_at = None
    hold.save()
    _schedule_stay_reminders(hold)
    _touch(hold.bed.shelter_id)
    _audit("stay.admitted", actor, hold, hold.bed.shelter.organisation_id)
    return hold, warnings


@transaction.atomic
def stay_admit(
    *,
    actor: User,
    bed: Bed,
    case: Case,
    admitted_on: datetime.date | None = None,
    expected_end: datetime.date | None = None,
    needs: str = "",
    children_beds: Iterable[Bed] = (),
) -> tuple[Occupancy, list[str]]:
    """Admit from a case directly; accompanying children get their own beds, all or none."""
    admitted_on = admitted_on or timezone.localdate()
    warnings = _clean_stay(admitted_on, expected_end)
    for each in (bed, *children_beds):
        if each.out_of_service:
            raise ValidationError(_("Bed %(bed)s is out of service.") % {"bed": each})
        holds_expire(bed=each)
    stay = _occupy(
        bed=bed,
        case=case,
        kind=Occupancy.Kind.STAY,
        placed_by=actor,
        admitted_on=admitted_on,
        expected_end=expected_end,
        needs=needs.strip(),
    )
    for child_bed in children_beds:
        _occupy(
            bed=child_bed,
            case=case,
            kind=Occupancy.Kind.STAY,
            placed_by=actor,
            admitted_on=admitted_on,
            expected_end=expected_end,
            accompanies=stay,
        )
    _schedule_stay_reminders(stay)
    _touch(bed.shelter_id)
    _audit("stay.admitted", actor, stay, bed.shelter.organisation_id)
    return stay, warnings


@transaction.atomic
def stay_discharge(*, actor: User, stay: Occupancy, outcome: str) -> Occupancy:
    stay = Occupancy.objects.select_for_update().select_related("bed__shelter").get(pk=stay.pk)
    if stay.kind != Occupancy.Kind.STAY or stay.ended_at is not None:
        raise ValidationError(_("This stay has already ended."))
    if outcome not in Occupancy.Outcome.values:
        raise ValidationError({"outcome": [_("Choose one of the offered outcomes.")]})
    now = timezone.now()
    for each in (stay, *stay.children_stays.filter(ended_at__isnull=True)):
        each.ended_at = now
        each.end_reason = "discharged"
        each.outcome = outcome
        each.save(update_fields=["ended_at", "end_reason", "outcome", "updated_at"])
    reminders_cancel(obj=stay)
    _touch(stay.bed.shelter_id)
    _audit("stay.discharged", actor, stay, stay.bed.shelter.organisation_id)
    return stay


@transaction.atomic
def turn_away_record(
    *,
    actor: User,
    shelter: Shelter,
    requesting_organisation_id: object,
    reason: str,
    bed_kind: str,
    people: int = 1,
) -> TurnAway:
    if reason not in TurnAway.Reason.values:
        raise ValidationError({"reason": [_("Choose one of the offered reasons.")]})
    if bed_kind not in Bed.Kind.values:
        raise ValidationError({"bed_kind": [_("Choose one of the offered bed kinds.")]})
    if not 1 <= people <= 20:
        raise ValidationError({"people": [_("Between 1 and 20 people.")]})
    turn_away = TurnAway.objects.create(
        shelter=shelter,
        requesting_organisation_id=requesting_organisation_id,
        reason=reason,
        bed_kind=bed_kind,
        people=people,
        recorded_by=actor,
    )
    _audit("turn_away.recorded", actor, turn_away, shelter.organisation_id)
    return turn_away


@transaction.atomic
def hold_any_free(
    *, actor: User, shelter: Shelter, kind: str, case: Case, needs: str = ""
) -> Occupancy:
    """Hold any free bed of that kind in the shelter, or raise BedTaken if none is left.

    Each attempt locks one free bed with SKIP LOCKED, so requests racing for the same
    shelter spread over different beds instead of all fighting for the first one; a
    bed taken between the look and the insert is skipped and the next one tried.
    """
    from shelters.selectors import free_beds

    tried: list[object] = []
    while True:
        bed = (
            free_beds()
            .filter(shelter=shelter, kind=kind)
            .exclude(pk__in=tried)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("shelter")
            .order_by("room__name", "label")
            .first()
        )
        if bed is None:
            raise BedTaken
        try:
            return hold_place(actor=actor, bed=bed, case=case, needs=needs)
        except BedTaken:
            tried.append(bed.pk)
