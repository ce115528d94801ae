"""Demo shelters for ``manage.py seed_demo``: a shelter per demo center, with rooms and beds,
a few stays of the center's own cases (one with her children on beds of their own), a hold
placed by another center's caseworker, and some turn-aways.

Everything goes through the services, so the demo rows are valid as production's; a
center that already has a shelter is left alone, so running seed_demo twice adds nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from cases.models import Case
from crisis_ops.accounts.models import User
from crisis_ops.core.demo import register_seeder
from crisis_ops.organisations.models import Membership, Organisation
from crisis_ops.organisations.roles import Role
from shelters import (
    demo_history,  # noqa: F401 - registers the history seeder after this one
    services,
)
from shelters import services_placements as placements
from shelters.models import Bed, Occupancy, Shelter, TurnAway
from shelters.selectors import free_beds

ADULT, CHILD, COT = Bed.Kind.ADULT, Bed.Kind.CHILD, Bed.Kind.COT


@dataclass(frozen=True)
class DemoBed:
    label: str
    kind: str = ADULT
    accessible: bool = False
    isolation: bool = False
    out_of_service: bool = False


@dataclass(frozen=True)
class DemoShelter:
    name: str
    address: str
    intake_phone: str
    rooms: tuple[tuple[str, tuple[DemoBed, ...]], ...]


def _beds(*specs: str) -> tuple[DemoBed, ...]:
    """Compact bed specs: '1', '2:child', '3:cot', '4:adult:accessible', '5:adult:isolation'."""
    beds = []
    for spec in specs:
        label, *rest = spec.split(":")
        kind = rest[0] if rest else ADULT
        flags = set(rest[1:])
        beds.append(
            DemoBed(
                label=label,
                kind=kind,
                accessible="accessible" in flags,
                isolation="isolation" in flags,
                out_of_service="out" in flags,
            )
        )
    return tuple(beds)


# One shelter per demo center, in the order of crisis_ops.core.demo.ORGANISATIONS.
SHELTERS = [
    DemoShelter(
        name="Убежище «Шанс»",
        address="Алматы, ул. Толе би 112, подъезд 2 (вход со двора)",
        intake_phone="+7 727 390 41 15",
        rooms=(
            ("1", _beds("1:adult:accessible", "2", "3", "4:child", "5:child")),
            ("2", _beds("1", "2", "3:child", "4:cot", "5:adult:out")),
            ("3", _beds("1:adult:accessible", "2", "3:child", "4:cot")),
            ("Изолятор", _beds("1:adult:isolation")),
        ),
    ),
    DemoShelter(
        name="Дом надежды — Үміт үйі",
        address="Астана, ул. Сарайшык 34, кв. 5",
        intake_phone="+7 7172 55 20 87",
        rooms=(
            ("A", _beds("1:adult:accessible", "2", "3", "4:child", "5:cot")),
            ("B", _beds("1:adult:accessible", "2", "3:child", "4:child", "5:adult:out")),
            ("Карантин", _beds("1:adult:isolation", "2:child:isolation")),
        ),
    ),
    DemoShelter(
        name="Баспана — Шымкент",
        address="Шымкент, мкр. Нурсат, ул. Аргынбекова 9",
        intake_phone="+7 7252 43 18 60",
        rooms=(
            ("1", _beds("1:adult:accessible", "2:adult:accessible", "3", "4", "5:child", "6:cot")),
            ("2", _beds("1", "2", "3:child", "4:child", "5:adult:out", "6:adult:isolation")),
        ),
    ),
]

NEEDS = [
    "Вегетарианское питание.",
    "Инсулин: нужен холодильник.",
    "Ходит с тростью, нужен нижний этаж.",
    "",
]
# reason, bed kind needed, people, days ago; the requesting center is the next one along.
TURN_AWAYS = [
    (TurnAway.Reason.NO_BED, ADULT, 3, 2),
    (TurnAway.Reason.NO_ACCESSIBLE_BED, ADULT, 1, 6),
    (TurnAway.Reason.QUARANTINE, CHILD, 2, 11),
    (TurnAway.Reason.OTHER, COT, 1, 19),
]
STAYS_PER_SHELTER = 3


def _manager_of(organisation: Organisation) -> User | None:
    """Who sets the shelter up and admits: its shelter manager, else an admin, else anyone."""
    order = [Role.SHELTER_MANAGER, Role.ORG_ADMIN, Role.SUPERVISOR, Role.CASEWORKER]
    memberships = Membership.objects.filter(organisation=organisation, is_active=True)
    for role in order:
        membership = memberships.filter(role=role).select_related("user").first()
        if membership is not None:
            return membership.user
    return None


def _open_cases(organisation: Organisation) -> list[Case]:
    return list(
        Case.objects.filter(organisation=organisation)
        .exclude(status=Case.Status.CLOSED)
        .exclude(pk__in=Occupancy.objects.filter(ended_at__isnull=True).values("case_id"))
        .select_related("assigned_to")
        .order_by("opened_on", "reference")
    )


def _build(spec: DemoShelter, organisation: Organisation, actor: User) -> Shelter:
    shelter = services.shelter_create(
        actor=actor,
        organisation=organisation,
        name=spec.name,
        region=organisation.region,
        address=spec.address,
        intake_phone=spec.intake_phone,
    )
    for room_name, beds in spec.rooms:
        room = services.room_create(actor=actor, shelter=shelter, name=room_name)
        for bed_spec in beds:
            bed = services.bed_create(
                actor=actor,
                room=room,
                label=bed_spec.label,
                kind=bed_spec.kind,
                wheelchair_accessible=bed_spec.accessible,
                isolation=bed_spec.isolation,
            )
            if bed_spec.out_of_service:
                services.bed_update(actor=actor, bed=bed, out_of_service=True)
    return shelter


def _free(shelter: Shelter, kind: str) -> list[Bed]:
    return list(
        free_beds()
        .filter(shelter=shelter, kind=kind, isolation=False)
        .order_by("room__name", "label")
    )


def _admit(shelter: Shelter, actor: User, cases: list[Case], today: datetime.date) -> int:
    """A few stays of the center's own cases; the first brings two children."""
    admitted = 0
    for n, case in enumerate(cases[:STAYS_PER_SHELTER]):
        children = _free(shelter, CHILD)[:2] if n == 0 else []
        admitted_on = today - datetime.timedelta(days=4 + 9 * n)
        placements.stay_admit(
            actor=actor,
            bed=_free(shelter, ADULT)[0],
            case=case,
            admitted_on=admitted_on,
            expected_end=admitted_on + datetime.timedelta(days=(30, 60, 45)[n % 3]),
            needs=NEEDS[n % len(NEEDS)],
            children_beds=children,
        )
        admitted += 1
    return admitted


def _turn_aways(
    shelter: Shelter, actor: User, requesting: Organisation, today: datetime.date
) -> None:
    for reason, bed_kind, people, days_ago in TURN_AWAYS:
        services.turn_away_record(
            actor=actor,
            shelter=shelter,
            reason=reason,
            bed_kind=bed_kind,
            people=people,
            requesting_organisation=requesting if reason != TurnAway.Reason.OTHER else None,
            occurred_on=today - datetime.timedelta(days=days_ago),
        )


@register_seeder(order=30)
@transaction.atomic
def seed_shelters(write: Callable[[str], None]) -> None:
    from crisis_ops.core.demo import ORGANISATIONS

    today = timezone.localdate()
    organisations = [Organisation.objects.get(name=spec.name) for spec in ORGANISATIONS]
    built: list[Shelter] = []
    for index, (organisation, spec) in enumerate(zip(organisations, SHELTERS, strict=True)):
        actor = _manager_of(organisation)
        if actor is None or Shelter.objects.filter(organisation=organisation).exists():
            continue
        shelter = _build(spec, organisation, actor)
        stays = _admit(shelter, actor, _open_cases(organisation), today)
        requesting = organisations[(index + 1) % len(organisations)]
        _turn_aways(shelter, actor, requesting, today)
        built.append(shelter)
        write(
            f"  shelter {shelter.name}: {shelter.beds.count()} beds, {stays} stays, "
            f"{len(TURN_AWAYS)} turn-aways"
        )
    if built and _hold_from_another_center(built[0], organisations):
        write(f"  a bed held at {built[0].name} by another center's caseworker")


def _hold_from_another_center(shelter: Shelter, organisations: list[Organisation]) -> bool:
    """A caseworker of another center holds a bed for her case: the manager has one to confirm."""
    others = [o for o in organisations if o.pk != shelter.organisation_id]
    for organisation in others:
        membership = (
            Membership.objects.filter(organisation=organisation, role=Role.CASEWORKER)
            .select_related("user")
            .first()
        )
        cases = _open_cases(organisation)
        beds = _free(shelter, ADULT)
        if membership is None or not cases or not beds:
            continue
        placements.hold_place(
            actor=membership.user,
            bed=beds[0],
            case=cases[0],
            needs="Приедет с сестрой на такси около 20:00.",
        )
        return True
    return False
