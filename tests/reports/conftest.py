import datetime

import pytest
import time_machine

from tests.cases.factories import intake


@pytest.fixture
def seeded(personas):
    """Hand-counted data: center A (Almaty) and center B (Astana), incidents in 2026.

    A, March: 7 incidents with consent (5 spouse, 2 former spouse), 2 without consent.
    A, February: 6 incidents with consent. B, March: 3 incidents with consent.
    """
    actor_a, actor_b = personas.caseworker, personas.caseworker_other_center

    def cases(n, actor, center, day, consents=("services", "statistics"), **incident):
        for _ in range(n):
            intake(
                actor,
                center,
                incident={"occurred_on": day, **incident},
                consents=list(consents),
            )

    cases(5, actor_a, personas.center, datetime.date(2026, 3, 10), relationship="spouse")
    cases(
        2,
        actor_a,
        personas.center,
        datetime.date(2026, 3, 12),
        relationship="former_spouse",
        violence_types=["economic"],
    )
    cases(2, actor_a, personas.center, datetime.date(2026, 3, 14), consents=("services",))
    cases(6, actor_a, personas.center, datetime.date(2026, 2, 3))
    cases(3, actor_b, personas.other_center, datetime.date(2026, 3, 20))
    return personas


@pytest.fixture
def april_2026():
    """Mid-April 2026 in Almaty, the month the figures' hand-counted data is about."""
    with time_machine.travel("2026-04-15 10:00 +05:00", tick=False):
        yield
