"""Demo cases for ``manage.py seed_demo``: Kazakh and Russian names, valid synthetic IINs."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from cases import (
    demo_history,  # noqa: F401 - registers the history seeder after this one
    services,
    services_intake,
)
from cases.models import Case
from crisis_ops.accounts.models import User
from crisis_ops.core.demo import register_seeder
from crisis_ops.encryption.normalise import build_iin
from crisis_ops.organisations.models import Membership, Organisation
from crisis_ops.organisations.roles import Role

NAMES = [
    "Айгерим Сейтқали", "Гульнара Ахметова", "Жанар Бекова", "Мадина Нурланова",
    "Светлана Ким", "Динара Оспанова", "Асель Жумабекова", "Ольга Петренко",
    "Сауле Тлеубаева", "Ирина Соколова", "Әсем Қайратқызы", "Назира Ермекова",
]  # fmt: skip
NARRATIVES = [
    "Муж ударил её после ссоры из-за денег, дети были дома.",
    "Бывший муж пришёл к её работе и угрожал убить.",
    "Свекровь и муж не дают ей денег и забрали документы.",
    "Сожитель душил её ночью, соседи вызвали полицию по 102.",
]
CASES_PER_CENTER = 6


@register_seeder(order=10)
@transaction.atomic
def seed_cases(write: Callable[[str], None]) -> None:
    rng = random.Random(2026)  # noqa: S311 - demo data, not secrets
    today = timezone.localdate()
    for membership in Membership.objects.filter(role=Role.CASEWORKER).select_related(
        "organisation__region", "user"
    ):
        organisation, caseworker = membership.organisation, membership.user
        if Case.objects.filter(organisation=organisation).exists():
            continue
        for n in range(CASES_PER_CENTER):
            _one_case(rng, caseworker, organisation, today, n)
        write(f"  {CASES_PER_CENTER} demo cases in {organisation.name}")


def _one_case(
    rng: random.Random, caseworker: User, organisation: Organisation, today: datetime.date, n: int
) -> Case:
    birth = datetime.date(rng.randint(1970, 2003), rng.randint(1, 12), rng.randint(1, 28))
    high = n == 0
    case = services_intake.case_intake_complete(
        actor=caseworker,
        organisation=organisation,
        survivor={
            "full_name": rng.choice(NAMES),
            "iin": build_iin(birth, female=True, serial=rng.randint(0, 9000)),
            "phone": f"+7 70{rng.randint(0, 8)} {rng.randint(1_000_000, 9_999_999)}",
            "birth_date": birth,
            "address": f"{organisation.region.name_ru}, ул. Абая {rng.randint(1, 200)}",
            "safe_contact": rng.choice(
                ["Звонить только сестре", "Писать в WhatsApp после 18:00", ""]
            ),
            "age_band": _age_band(today.year - birth.year),
            "sex": "female",
            "region": organisation.region,
            "disability": "none",
        },
        case={"source": rng.choice(["self", "police_102", "hotline_150", "relative"])},
        incident={
            "occurred_on": today - datetime.timedelta(days=rng.randint(0, 60)),
            "violence_types": rng.sample(["physical", "psychological", "economic", "sexual"], 2),
            "gbvims_class": rng.choice(
                ["physical_assault", "psychological", "denial_of_resources"]
            ),
            "relationship": rng.choice(["spouse", "former_spouse", "cohabitant", "close_relative"]),
            "children_present": rng.random() < 0.5,
            "injuries": rng.random() < 0.4,
            "reported_to_police": rng.random() < 0.6,
            "narrative": rng.choice(NARRATIVES),
        },
        perpetrator={"full_name": "Ерлан Б.", "relationship": "spouse"},
        risk_answers={str(q): high or rng.random() < 0.3 for q in range(1, 25)},
        consents=["services", "statistics"],
    )
    if n % 3 == 1:
        services.case_change_status(actor=caseworker, case=case, status="active")
    return case


def _age_band(age: int) -> str:
    for upper, band in ((17, "0-17"), (24, "18-24"), (34, "25-34"), (44, "35-44"), (59, "45-59")):
        if age <= upper:
            return band
    return "60+"
