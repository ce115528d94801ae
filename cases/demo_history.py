"""Two years of demo history for ``seed_demo``: enough intakes, incidents and consents per
center and month that every advocacy figure, baseline and chart has real numbers to show.

Rows are bulk-inserted (encryption still runs in each field's ``pre_save``) and skip the
audit log: they stand for the past, not for actions anyone took today. Everything comes
from one seeded ``random.Random`` per center, so two runs on the same day agree; a center
that already has history is left alone.
"""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F
from django.utils import timezone

from cases.models import Case, Consent, Incident, Survivor
from crisis_ops.core.demo import register_seeder
from crisis_ops.encryption.normalise import build_iin
from crisis_ops.organisations.models import Membership, Organisation
from crisis_ops.organisations.roles import Role

HISTORY_MONTHS = 24
REFERENCE_PREFIX = "CH-"  # history cases: CH-<center>-<serial>, never a live code (C-…)
# Intakes in an ordinary month, by demo center (Almaty is the largest).
MONTHLY_INTAKES = (34, 27, 19)
# Winter holidays and spring carry more calls; month 10 of the 24 is a spike (the kind of
# "25 % more than usual" month an advocacy letter is written about).
SEASON = {1: 1.15, 2: 0.95, 3: 1.1, 4: 1.05, 5: 1.0, 6: 0.9, 7: 0.85, 8: 0.9, 9: 1.0, 10: 1.0,
          11: 1.05, 12: 1.1}  # fmt: skip
SPIKE_MONTHS_AGO, SPIKE = 14, 1.3

FIRST = ("Айгерим", "Динара", "Асель", "Мадина", "Сауле", "Гаухар", "Жулдыз", "Әсем", "Ольга",
         "Ирина", "Наталья", "Елена", "Камила", "Томирис", "Меруерт", "Ботагөз")  # fmt: skip
LAST = ("Ахметова", "Сейтқали", "Нұрланова", "Касымова", "Омарова", "Бекова", "Иванова",
        "Ким", "Петрова", "Тұрсынова", "Садыкова", "Есенова")  # fmt: skip
SOURCES = (("self", 30), ("police_102", 30), ("hotline_150", 20), ("relative", 10),
           ("medical", 7), ("other", 3))  # fmt: skip
RELATIONSHIPS = (("spouse", 46), ("former_spouse", 14), ("cohabitant", 12),
                 ("former_cohabitant", 5), ("close_relative", 15), ("child_in_common", 4),
                 ("other", 4))  # fmt: skip
# GBVIMS class, weight, and the law's types that come with it (the first always, one more maybe)
GBVIMS = (("physical_assault", 40, ("physical", "psychological")),
          ("psychological", 30, ("psychological", "economic")),
          ("denial_of_resources", 14, ("economic", "psychological")),
          ("sexual_assault", 7, ("sexual", "physical")),
          ("rape", 6, ("sexual", "physical")),
          ("forced_marriage", 3, ("psychological", "sexual")))  # fmt: skip
AGE_BANDS = (("0-17", 3, 2010), ("18-24", 17, 2004), ("25-34", 36, 1995),
             ("35-44", 26, 1985), ("45-59", 14, 1972), ("60+", 4, 1958))  # fmt: skip
DISABILITY = (("none", 90), ("physical", 5), ("sensory", 2), ("intellectual", 1), ("unknown", 2))
REPEAT_SHARE = 0.22  # a second incident within 12 months of the first
NO_STATISTICS_CONSENT = 0.08  # left out of every report, and counted as such


def _pick(rng: random.Random, weighted: tuple[tuple[Any, ...], ...]) -> tuple[Any, ...]:
    return rng.choices(weighted, weights=[row[1] for row in weighted])[0]


def month_starts(today: datetime.date, months: int = HISTORY_MONTHS) -> Iterator[datetime.date]:
    """The first day of each of the last ``months`` months, oldest first, this month last."""
    year, month = today.year, today.month
    firsts = []
    for _ in range(months):
        firsts.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return reversed(firsts)


def uuid_from(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def history_cases(organisation: Organisation) -> Any:
    return Case.objects.filter(organisation=organisation, reference__startswith=REFERENCE_PREFIX)


@register_seeder(order=50)
@transaction.atomic
def seed_case_history(write: Callable[[str], None]) -> None:
    from crisis_ops.core.demo import ORGANISATIONS

    today = timezone.localdate()
    for index, spec in enumerate(ORGANISATIONS):
        organisation = Organisation.objects.filter(name=spec.name).select_related("region").first()
        caseworker = (
            Membership.objects.filter(organisation=organisation, role=Role.CASEWORKER)
            .select_related("user")
            .first()
        )
        if organisation is None or caseworker is None or history_cases(organisation).exists():
            continue
        rng = random.Random(f"history-cases-{index}")  # noqa: S311 - demo data
        rows = _History(rng, organisation, caseworker.user, index, today)
        for first in month_starts(today):
            rows.month(first, MONTHLY_INTAKES[index % len(MONTHLY_INTAKES)])
        rows.save()
        write(f"  {HISTORY_MONTHS} months of history in {organisation.name}: {rows.summary()}")


class _History:
    def __init__(
        self, rng: random.Random, organisation: Organisation, actor: Any, index: int, today: Any
    ) -> None:
        self.rng, self.organisation, self.actor, self.today = rng, organisation, actor, today
        self.prefix = f"{REFERENCE_PREFIX}{index + 1}-"
        self.survivors: list[Survivor] = []
        self.cases: list[Case] = []
        self.incidents: list[Incident] = []
        self.consents: list[Consent] = []

    def month(self, first: datetime.date, base: int) -> None:
        months_ago = (self.today.year - first.year) * 12 + self.today.month - first.month
        expected = base * SEASON[first.month] * (SPIKE if months_ago == SPIKE_MONTHS_AGO else 1)
        last = min(self.today, _month_end(first))
        if months_ago == 0:  # this month so far
            expected *= self.today.day / _month_end(first).day
        count = max(0, round(self.rng.gauss(expected, expected**0.5 * 0.6)))
        for _ in range(count):
            opened = first + datetime.timedelta(days=self.rng.randrange((last - first).days + 1))
            self._case(opened)

    def _case(self, opened: datetime.date) -> None:
        rng, n = self.rng, len(self.cases)
        band, _, born_around = _pick(rng, AGE_BANDS)
        birth = datetime.date(
            born_around + rng.randint(-2, 2), rng.randint(1, 12), rng.randint(1, 28)
        )
        survivor = Survivor(
            id=uuid_from(rng),
            organisation=self.organisation,
            code=f"SH-{self.prefix[3:]}{n:05d}",
            full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            iin=build_iin(birth, female=True, serial=rng.randrange(9000)),
            birth_date=birth,
            phone=f"+77{rng.choice(('01', '05', '07', '47', '77'))}{rng.randrange(10**7):07d}",
            address=f"{self.organisation.region.name_ru}, мкр. {rng.randint(1, 30)}",
            age_band=band,
            sex="female" if rng.random() < 0.96 else "male",
            region=self.organisation.region,
            disability=_pick(rng, DISABILITY)[0],
        )
        age_days = (self.today - opened).days
        status = (
            "closed" if age_days > 75 and rng.random() < 0.9 else rng.choice(("open", "active"))
        )
        case = Case(
            id=uuid_from(rng),
            organisation=self.organisation,
            survivor=survivor,
            reference=f"{self.prefix}{n:05d}",
            assigned_to=self.actor,
            status=status,
            closed_reason=rng.choice(("resolved", "referred", "lost_contact", "declined"))
            if status == "closed"
            else "",
            closed_at=_at(opened + datetime.timedelta(days=rng.randint(20, 70)))
            if status == "closed"
            else None,
            source=_pick(rng, SOURCES)[0],
            opened_on=opened,
            risk_band=rng.choices(("standard", "medium", "high"), (50, 32, 18))[0],
        )
        self.survivors.append(survivor)
        self.cases.append(case)
        first_incident = opened - datetime.timedelta(days=min(rng.randrange(6), opened.day - 1))
        self._incident(case, first_incident)
        repeat = first_incident + datetime.timedelta(days=rng.randint(20, 330))
        if rng.random() < REPEAT_SHARE and repeat < self.today:
            self._incident(case, repeat)
        self._consent(case, "services", opened)
        if rng.random() >= NO_STATISTICS_CONSENT:
            self._consent(case, "statistics", opened)

    def _incident(self, case: Case, day: datetime.date) -> None:
        rng = self.rng
        gbvims, _, types = _pick(rng, GBVIMS)
        law_types = [types[0]] + ([types[1]] if rng.random() < 0.55 else [])
        self.incidents.append(
            Incident(
                id=uuid_from(rng),
                case=case,
                occurred_on=day,
                violence_types=law_types,
                gbvims_class=gbvims,
                relationship=_pick(rng, RELATIONSHIPS)[0],
                children_present=rng.random() < 0.45,
                injuries=gbvims in ("physical_assault", "rape") and rng.random() < 0.6,
                reported_to_police=case.source == "police_102" or rng.random() < 0.45,
                forensic_exam_needed=gbvims in ("rape", "sexual_assault"),
                forensic_exam_done=gbvims in ("rape", "sexual_assault") and rng.random() < 0.7,
            )
        )

    def _consent(self, case: Case, scope: str, day: datetime.date) -> None:
        consent = Consent(
            id=uuid_from(self.rng), case=case, scope=scope, granted_on=day, recorded_by=self.actor
        )
        self.consents.append(consent)

    def save(self) -> None:
        Survivor.objects.bulk_create(self.survivors, batch_size=500)
        Case.objects.bulk_create(self.cases, batch_size=500)
        Incident.objects.bulk_create(self.incidents, batch_size=500)
        Consent.objects.bulk_create(self.consents, batch_size=500)
        # created_at says when the row was typed in: on the day the case was opened.
        history_cases(self.organisation).update(
            created_at=ExpressionWrapper(
                F("opened_on") + datetime.timedelta(hours=10), output_field=DateTimeField()
            )
        )

    def summary(self) -> str:
        return f"{len(self.cases)} cases, {len(self.incidents)} incidents"


def _month_end(first: datetime.date) -> datetime.date:
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))
