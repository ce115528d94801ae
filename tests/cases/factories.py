"""Case-file test data through the services, so every row is valid as production's."""

import datetime
from typing import Any

from django.utils import timezone

from cases import services
from cases.models import Case
from crisis_ops.encryption.normalise import build_iin
from tests.factories import region

_serial = iter(range(1, 10**6))


def intake(actor, organisation, **overrides: Any) -> Case:
    n = next(_serial)
    survivor = {
        "full_name": f"Айгерим Сейтқали {n}",
        "iin": build_iin(
            datetime.date(1990, 1, 1) + datetime.timedelta(days=n), female=True, serial=n
        ),
        "phone": f"+7 701 {n % 1000:03d} {n // 1000 % 100:02d} {n % 97:02d}",
        "birth_date": datetime.date(1990, 1, 1) + datetime.timedelta(days=n),
        "address": f"Алматы, ул. Абая {n}",
        "safe_contact": "Звонить только сестре",
        "age_band": "35-44",
        "sex": "female",
        "region": region("almaty-city"),
        "disability": "none",
    }
    survivor.update(overrides.pop("survivor", {}))
    incident = {
        "occurred_on": timezone.localdate() - datetime.timedelta(days=2),
        "violence_types": ["physical", "psychological"],
        "gbvims_class": "physical_assault",
        "relationship": "spouse",
        "children_present": True,
        "injuries": True,
        "reported_to_police": True,
        "narrative": "Он ударил её на кухне при детях.",
    }
    incident.update(overrides.pop("incident", {}))
    return services.case_intake_complete(
        actor=actor,
        organisation=organisation,
        survivor=survivor,
        case={"source": "police_102", **overrides.pop("case", {})},
        incident=incident,
        perpetrator=overrides.pop(
            "perpetrator", {"full_name": "Ерлан Б.", "relationship": "spouse"}
        ),
        risk_answers=overrides.pop("risk_answers", {str(q): q <= 5 for q in range(1, 25)}),
        consents=overrides.pop("consents", ["services", "statistics"]),
    )
