"""Holds and stays: who is in which bed. PostgreSQL guarantees one active hold or stay
per bed; the loser of a race gets BedTaken, which pages and the API answer with 409,
and a deadlock victim is tried again (shelters/concurrency.py) whoever called.

Permissions are the caller's job (views and API views go through the selectors);
these functions check the domain rules: a bed out of service takes nobody, a closed
case is not placed, a stay never starts in the future, a hold lasts 90 minutes.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from cases.models.choices import AgeBand
from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.notifications.services import notify
from crisis_ops.reminders.services import reminders_cancel
from shelters import notifications
from shelters.concurrency import BedTaken, retry_on_deadlock
from shelters.models import Bed, Occupancy, Shelter, stay_is_long
from shelters.reminders import stay_reminders_schedule
from shelters.services import beds_touched

HOLD_FOR = datetime.timedelta(minutes=90)


# -- Holds ----------------------------------------------------------------------------------


def holds_expire(*, now: datetime.datetime | None = None, bed: Bed | None = None) -> int:
    """End holds past their 90 minutes: all of them (every minute, from beat), or one
    bed's just before it is taken, so an expired hold never blocks a bed. Whoever
    placed a hold hears that it lapsed."""
    now = now or timezone.now()
    expired = Occupancy.objects.filter(
        kind=Occupancy.Kind.HOLD, ended_at__isnull=True, hold_expires_at__lt=now
    )
    if bed is not None:
        expired = expired.filter(bed=bed)
    with transaction.atomic():
        holds = list(
            expired.select_for_update(of=("self",)).select_related("bed", "case", "placed_by")
        )
        if not holds:
            return 0
        Occupancy.objects.filter(pk__in=[hold.pk for hold in holds]).update(
            ended_at=now, end_reason=Occupancy.EndReason.EXPIRED, updated_at=now
        )
        beds_touched(*{hold.bed.shelter_id for hold in holds})
        for hold in holds:
            _tell_placer(hold, notifications.HOLD_EXPIRED)
    return len(holds)


def _tell_placer(hold: Occupancy, kind: str, *, actor: User | None = None) -> None:
    """The caseworker who held the bed, and the case's own caseworker, learn what became
    of it (in-app, and by e-mail after commit); not the person who just did it."""
    people = {hold.placed_by, hold.case.assigned_to} - {None, actor}
    notify(recipients=[p for p in people if p is not None and p.is_active], kind=kind, obj=hold)


def _occupy(**fields: object) -> Occupancy:
    """Insert under a savepoint: the partial unique index refuses a second active occupant."""
    try:
        with transaction.atomic():
            return Occupancy.objects.create(**fields)
    except IntegrityError as exc:
        raise BedTaken from exc


def _check_placeable(bed: Bed, case: Case, *, for_survivor: bool = True) -> None:
    """``for_survivor``: the bed is hers (not one of her accompanying children's)."""
    if case.status == Case.Status.CLOSED:
        raise ValidationError(_("This case is closed; reopen it before finding her a bed."))
    if not bed.shelter.is_active:
        raise ValidationError(_("This shelter is not taking residents."))
    if bed.out_of_service:
        raise ValidationError(_("%(bed)s is out of service.") % {"bed": bed})
    if for_survivor and (message := _kind_unfit_for_her(bed.kind, case)):
        raise ValidationError(message)


def _kind_unfit_for_her(kind: str, case: Case) -> str:
    """A child's bed or a cot is for a child: a woman whose age band is not "under 18"
    (an adult, or an age nobody recorded) is never put in one, page and API alike."""
    if kind == Bed.Kind.ADULT or case.survivor.age_band == AgeBand.UNDER_18:
        return ""
    if kind == Bed.Kind.COT:
        return _(
            "A cot is for a small child, and she is not recorded as under 18."
            " Choose an adult bed, or correct her age band on the case first."
        )
    return _(
        "A child's bed is for a child, and she is not recorded as under 18."
        " Choose an adult bed, or correct her age band on the case first."
    )


def _age_warnings(bed: Bed, case: Case, children_beds: Sequence[Bed]) -> list[str]:
    """A girl under 18 in an adult bed, or a child on an adult bed: allowed, but said."""
    warnings = []
    if bed.kind == Bed.Kind.ADULT and case.survivor.age_band == AgeBand.UNDER_18:
        warnings.append(
            _(
                "She is under 18 and placed in an adult bed: make sure the shelter's rules"
                " allow it and that she is not in a room with unrelated adults."
            )
        )
    adult_beds = [str(b) for b in children_beds if b.kind == Bed.Kind.ADULT]
    if adult_beds:
        warnings.append(
            _("A child is placed in an adult bed (%(beds)s): check the shelter's rules allow it.")
            % {"beds": ", ".join(adult_beds)}
        )
    return warnings


@retry_on_deadlock
@transaction.atomic
def hold_place(*, actor: User, bed: Bed, case: Case, needs: str = "") -> Occupancy:
    """Reserve a bed for 90 minutes for a case of any center."""
    bed = Bed.objects.select_related("shelter", "room").get(pk=bed.pk)
    _check_placeable(bed, case)
    holds_expire(bed=bed)
    hold = _occupy(
        bed=bed,
        case=case,
        kind=Occupancy.Kind.HOLD,
        placed_by=actor,
        hold_expires_at=timezone.now() + HOLD_FOR,
        needs=needs.strip(),
    )
    beds_touched(bed.shelter_id)
    audit_record(action="hold.placed", actor=actor, obj=hold, organisation_id=case.organisation_id)
    return hold


@retry_on_deadlock
@transaction.atomic
def hold_any_free(
    *,
    actor: User,
    shelter: Shelter,
    kind: str,
    case: Case,
    needs: str = "",
    wheelchair_accessible: bool = False,
) -> Occupancy:
    """Hold any free bed of that kind in the shelter, or raise BedTaken if none is left.

    Each attempt locks one free bed with SKIP LOCKED, so requests racing for the same
    shelter spread over different beds instead of all fighting for the first one; a
    bed taken between the look and the insert is skipped and the next one tried.
    """
    from shelters.selectors import free_beds

    if kind not in Bed.Kind.values:
        raise ValidationError({"kind": [_("Choose one of the offered bed kinds.")]})
    if message := _kind_unfit_for_her(kind, case):
        raise ValidationError({"kind": [message]})
    tried: list[uuid.UUID] = []
    while True:
        candidates = free_beds().filter(shelter=shelter, kind=kind).exclude(pk__in=tried)
        if wheelchair_accessible:
            candidates = candidates.filter(wheelchair_accessible=True)
        # The least specialised bed first: an ordinary bed before an accessible or an
        # isolation one, which the next woman may need and no other bed can replace.
        bed = (
            candidates.select_for_update(skip_locked=True, of=("self",))
            .order_by("wheelchair_accessible", "isolation", "room__name", "label")
            .first()
        )
        if bed is None:
            raise BedTaken
        try:
            return hold_place(actor=actor, bed=bed, case=case, needs=needs)
        except BedTaken:
            tried.append(bed.pk)


def _lock(occupancy: Occupancy) -> Occupancy:
    return (
        Occupancy.objects.select_for_update(of=("self",))
        .select_related("bed__shelter", "case")
        .get(pk=occupancy.pk)
    )


@retry_on_deadlock
@transaction.atomic
def hold_release(*, actor: User, hold: Occupancy) -> Occupancy:
    hold = _lock(hold)
    if hold.kind != Occupancy.Kind.HOLD or hold.ended_at is not None:
        raise ValidationError(_("This hold has already ended."))
    hold.ended_at = timezone.now()
    hold.end_reason = Occupancy.EndReason.RELEASED
    hold.save(update_fields=["ended_at", "end_reason", "updated_at"])
    beds_touched(hold.bed.shelter_id)
    _tell_placer(hold, notifications.HOLD_RELEASED, actor=actor)
    audit_record(
        action="hold.released",
        actor=actor,
        obj=hold,
        organisation_id=hold.bed.shelter.organisation_id,
    )
    return hold


# -- Stays ----------------------------------------------------------------------------------


def _clean_stay(admitted_on: datetime.date, expected_end: datetime.date | None) -> list[str]:
    """Errors raise; a stay planned past 6 months is a warning, never a block."""
    if admitted_on > timezone.localdate():
        raise ValidationError({"admitted_on": [_("An admission cannot be in the future.")]})
    if expected_end is not None and expected_end < admitted_on:
        raise ValidationError({"expected_end": [_("A stay cannot end before it starts.")]})
    if stay_is_long(admitted_on, expected_end):
        return [_("A crisis-center stay is limited to 6 months; this one is planned longer.")]
    return []


def _children_stays(
    *, actor: User, stay: Occupancy, children_beds: Sequence[Bed]
) -> list[Occupancy]:
    """Accompanying children sleep on beds of their own, in the same shelter: all or none."""
    created = []
    for child_bed in children_beds:
        child_bed = Bed.objects.select_related("shelter", "room").get(pk=child_bed.pk)
        if child_bed.shelter_id != stay.bed.shelter_id:
            raise ValidationError(_("Children's beds must be in the same shelter."))
        _check_placeable(child_bed, stay.case, for_survivor=False)
        holds_expire(bed=child_bed)
        created.append(
            _occupy(
                bed=child_bed,
                case=stay.case,
                kind=Occupancy.Kind.STAY,
                placed_by=actor,
                admitted_on=stay.admitted_on,
                expected_end=stay.expected_end,
                accompanies=stay,
            )
        )
    return created


@retry_on_deadlock
@transaction.atomic
def hold_confirm(
    *,
    actor: User,
    hold: Occupancy,
    expected_end: datetime.date | None = None,
    children_beds: Sequence[Bed] = (),
) -> tuple[Occupancy, list[str]]:
    """The manager confirms: the hold becomes the stay, on the same bed, in the same row."""
    hold = _lock(hold)
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
    children = _children_stays(actor=actor, stay=hold, children_beds=children_beds)
    warnings += _age_warnings(hold.bed, hold.case, [c.bed for c in children])
    stay_reminders_schedule(hold)
    _tell_placer(hold, notifications.HOLD_CONFIRMED, actor=actor)
    beds_touched(hold.bed.shelter_id)
    audit_record(
        action="stay.admitted",
        actor=actor,
        obj=hold,
        organisation_id=hold.bed.shelter.organisation_id,
    )
    return hold, warnings


@retry_on_deadlock
@transaction.atomic
def stay_admit(
    *,
    actor: User,
    bed: Bed,
    case: Case,
    admitted_on: datetime.date | None = None,
    expected_end: datetime.date | None = None,
    needs: str = "",
    children_beds: Sequence[Bed] = (),
) -> tuple[Occupancy, list[str]]:
    """Admit straight into a bed (a walk-in, or a case of the shelter's own center)."""
    bed = Bed.objects.select_related("shelter", "room").get(pk=bed.pk)
    admitted_on = admitted_on or timezone.localdate()
    warnings = _clean_stay(admitted_on, expected_end)
    _check_placeable(bed, case)
    holds_expire(bed=bed)
    stay = _occupy(
        bed=bed,
        case=case,
        kind=Occupancy.Kind.STAY,
        placed_by=actor,
        admitted_on=admitted_on,
        expected_end=expected_end,
        needs=needs.strip(),
    )
    children = _children_stays(actor=actor, stay=stay, children_beds=children_beds)
    warnings += _age_warnings(bed, case, [c.bed for c in children])
    stay_reminders_schedule(stay)
    beds_touched(bed.shelter_id)
    audit_record(
        action="stay.admitted", actor=actor, obj=stay, organisation_id=bed.shelter.organisation_id
    )
    return stay, warnings


@retry_on_deadlock
@transaction.atomic
def stay_update(
    *,
    actor: User,
    stay: Occupancy,
    expected_end: datetime.date | None = None,
    needs: str | None = None,
) -> tuple[Occupancy, list[str]]:
    """Move the expected end (her children's stays follow) or change the practical needs."""
    stay = _lock(stay)
    if stay.kind != Occupancy.Kind.STAY or stay.ended_at is not None:
        raise ValidationError(_("This stay has already ended."))
    if stay.accompanies_id is not None:
        raise ValidationError(_("Change the mother's stay; her children's stays follow it."))
    warnings = _clean_stay(stay.admitted_on or timezone.localdate(), expected_end)
    stay.expected_end = expected_end
    if needs is not None:
        stay.needs = needs.strip()
    stay.save()
    stay.children_stays.filter(ended_at__isnull=True).update(expected_end=expected_end)
    stay_reminders_schedule(stay)
    audit_record(
        action="stay.updated",
        actor=actor,
        obj=stay,
        organisation_id=stay.bed.shelter.organisation_id,
    )
    return stay, warnings


@retry_on_deadlock
@transaction.atomic
def stay_discharge(*, actor: User, stay: Occupancy, outcome: str) -> Occupancy:
    """End the stay with its outcome; her children's stays end with it."""
    stay = _lock(stay)
    if stay.kind != Occupancy.Kind.STAY or stay.ended_at is not None:
        raise ValidationError(_("This stay has already ended."))
    if stay.accompanies_id is not None:
        raise ValidationError(_("Discharge the mother's stay; her children's stays end with it."))
    if outcome not in Occupancy.Outcome.values:
        raise ValidationError({"outcome": [_("Choose one of the offered outcomes.")]})
    now = timezone.now()
    stay.ended_at = now
    stay.end_reason = Occupancy.EndReason.DISCHARGED
    stay.outcome = outcome
    stay.save(update_fields=["ended_at", "end_reason", "outcome", "updated_at"])
    stay.children_stays.filter(ended_at__isnull=True).update(
        ended_at=now, end_reason=Occupancy.EndReason.DISCHARGED, outcome=outcome, updated_at=now
    )
    reminders_cancel(obj=stay)
    beds_touched(stay.bed.shelter_id)
    audit_record(
        action="stay.discharged",
        actor=actor,
        obj=stay,
        organisation_id=stay.bed.shelter.organisation_id,
    )
    return stay
