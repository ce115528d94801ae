"""Every page and its API twin show the same, to every persona (issue 10, finding 2).

For each pair, as each persona of the ladder: a 404 on the page is a 404 on the API and
back, and each sensitive value (a survivor's name or code, a resident's needs, the
placing center, a shelter's address, a case reference...) is on both or on neither.
The world is built so that the pairs have something to disagree about: a resident of
center A's shelter placed from center B's case, a hold, an order, a referral.
"""

import pytest

from tests.cases.factories import intake
from tests.personas import PERSONAS
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
NEEDS = "Без глютена-7391"
HOLD_NEEDS = "Коляска-5526"
RIFLE = "Охотничье ружьё-3318"
CHILD = "Айсулу-2290"


@pytest.fixture
def world(personas):
    from cases import services as case_services
    from protection_orders import services as order_services
    from protection_orders.models import OrderType
    from shelters import services_placements as placements
    from tests.referrals.factories import center_partner, refer

    case_a = intake(
        personas.caseworker,
        personas.center,
        survivor={"full_name": "Жанар Альфа"},
        perpetrator={"full_name": "Агрессор-6120", "relationship": "spouse", "details": RIFLE},
    )
    case_services.child_add(actor=personas.caseworker, case=case_a, first_name=CHILD)
    case_b = intake(
        personas.caseworker_other_center,
        personas.other_center,
        survivor={"full_name": "Жанар Бета"},
    )
    case_c = intake(
        personas.caseworker_other_center,
        personas.other_center,
        survivor={"full_name": "Жанар Гамма"},
    )
    shelter = shelter_with_beds(personas.center, beds=4)
    beds = list(shelter.beds.order_by("label"))
    hold = placements.hold_place(
        actor=personas.caseworker_other_center, bed=beds[0], case=case_b, needs=NEEDS
    )
    placements.hold_confirm(actor=personas.shelter_manager, hold=hold)
    placements.hold_place(
        actor=personas.caseworker_other_center, bed=beds[1], case=case_c, needs=HOLD_NEEDS
    )
    order = order_services.order_create(
        actor=personas.caseworker,
        case=case_a,
        order_type=OrderType.objects.get(code="police-protection"),
        number="ЗП-4417",
        issuing_unit="УП Медеуского района",
        issued_on=case_a.opened_on,
        conditions="Не приближаться-8830",
    )
    referral = refer(
        personas.caseworker, case_a, center_partner(personas.other_center), ["identity"]
    )
    return {
        "case_a": case_a,
        "case_b": case_b,
        "case_c": case_c,
        "shelter": shelter,
        "order": order,
        "referral": referral,
    }


def _secrets(world, personas):
    """name -> a value that must be on both twins or on neither."""
    values = {}
    for key in ("case_a", "case_b", "case_c"):
        case = world[key]
        values[f"{key}.name"] = case.survivor.full_name
        values[f"{key}.code"] = case.survivor.code
        # The pages name a case by its reference, the API by its id: either is the case.
        values[f"{key}.reference"] = (case.reference, str(case.pk))
        values[f"{key}.iin"] = case.survivor.iin
    values["perpetrator.name"] = "Агрессор-6120"
    values["perpetrator.details"] = RIFLE
    values["child.name"] = CHILD
    values["needs"] = NEEDS
    values["hold_needs"] = HOLD_NEEDS
    values["address"] = world["shelter"].address
    values["order.number"] = world["order"].number
    values["order.conditions"] = world["order"].conditions
    values["referral.reference"] = (world["referral"].reference, str(world["referral"].pk))
    return values


def _twins(world):
    case_a, shelter = world["case_a"], world["shelter"]
    order, referral = world["order"], world["referral"]
    case_api = f"/api/v1/cases/{case_a.pk}"
    # twin: (pages, API answers). A page composed of several resources has them all as
    # its twin; where pages are listed, the first that is not a 404 is the one compared
    # (the bed grid for its managers, the setup page for those who only set it up).
    return {
        "case list": (["/cases/"], ["/api/v1/cases"]),
        "case": (
            [f"/cases/{case_a.pk}/"],
            [
                case_api,
                *(f"{case_api}/{part}" for part in CASE_PARTS),
                f"/api/v1/protection-orders?case={case_a.pk}",
            ],
        ),
        "order": ([f"/orders/{order.pk}/"], [f"/api/v1/protection-orders/{order.pk}"]),
        "bed grid": (
            [f"/shelters/{shelter.pk}/", f"/shelters/{shelter.pk}/setup/"],
            [f"/api/v1/shelters/{shelter.pk}/beds"],
        ),
        "board": (["/shelters/"], ["/api/v1/availability"]),
        "holds": (["/shelters/holds/"], ["/api/v1/holds"]),
        "referral": ([f"/referrals/{referral.pk}/"], [f"/api/v1/referrals/{referral.pk}"]),
        "staff": (["/organisations/staff/"], ["/api/v1/members"]),
        "turn-aways": (["/shelters/turn-aways/"], ["/api/v1/turn-aways"]),
        "partners": (["/referrals/partners/"], ["/api/v1/partners"]),
    }


def _staff_secrets(personas):
    """Members by their username, on the staff twin only (a page header names its user)."""
    return {
        f"member.{name}": getattr(personas, name).username
        for name in ("caseworker_same_center", "caseworker_other_center", "supervisor_other_center")
    }


CASE_PARTS = ("incidents", "notes", "consents", "risk-assessments", "referrals")


def _first_found(client, urls):
    responses = [client.get(url) for url in urls]
    found = [r for r in responses if r.status_code != 404]
    return found[0] if found else responses[0]


# Values a page shows on purpose that its twin leaves to another endpoint: (twin, value).
# The setup page edits the shelter's own address; the API gives it with the shelter
# (/api/v1/shelters/{id}), and the "board" twin compares it for every persona.
BY_DESIGN: set[tuple[str, str]] = {("bed grid", "address")}


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_each_page_and_its_api_twin_show_the_same(client_for, personas, world, persona):
    client = client_for(persona)
    mismatches: list[tuple[object, ...]] = []
    for twin, (page_urls, api_urls) in _twins(world).items():
        secrets = _secrets(world, personas)
        if twin == "staff":
            secrets = _staff_secrets(personas)
        page = _first_found(client, page_urls)
        answers = [client.get(url) for url in api_urls]
        api = answers[0]
        if (page.status_code == 404) != (api.status_code == 404):
            mismatches.append((twin, "status", page.status_code, api.status_code))
            continue
        if page.status_code != 200 or api.status_code != 200:
            continue
        page_text = page.content.decode()
        api_text = " ".join(a.content.decode() for a in answers if a.status_code == 200)
        for name, value in secrets.items():
            shapes = value if isinstance(value, tuple) else (value,)
            on_page = any(shape in page_text for shape in shapes)
            in_api = any(shape in api_text for shape in shapes)
            if on_page != in_api and (twin, name) not in BY_DESIGN:
                mismatches.append((twin, name, "page" if on_page else "api"))
    assert mismatches == [], "\n".join(map(str, mismatches))
