"""The whole file on the case page (issue 12): what was typed at intake, the risk factors
that matter for her safety first, and a timeline with orders, police checks, violations,
holds and stays, in a fixed number of queries and within the case's visibility."""

import ast
import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.timeline import _SOURCES
from protection_orders import services as order_services
from shelters import services_placements as placements
from tests.cases.factories import CASES, intake
from tests.protection_orders.factories import record_order
from tests.queries import assert_queries_do_not_grow
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db

RIFLE = "У него охотничье ружьё, хранит дома"
# Yes to weapons (13), threats to kill (14) and strangulation (15); no to the rest.
DANGER = {str(q): q in (13, 14, 15) for q in range(1, 25)}


@pytest.fixture
def case(personas):
    case = intake(
        personas.caseworker,
        personas.center,
        perpetrator={"full_name": "Ерлан Бекетов", "relationship": "spouse", "details": RIFLE},
        risk_answers=DANGER,
        incident={"violence_types": ["physical", "economic"], "injuries": True},
    )
    services.child_add(actor=personas.caseworker, case=case, first_name="Айсулу", birth_year=2019)
    return case


def _page(client, case):
    return client.get(reverse("cases:case_detail", args=[case.pk])).content.decode()


def test_the_case_page_shows_the_perpetrator_violence_injuries_and_children_from_intake(
    client_for, case
):
    page = _page(client_for("caseworker"), case)

    assert "Ерлан Бекетов" in page
    assert RIFLE in page
    assert "Physical, Economic" in page
    assert "Айсулу (2019)" in page
    assert re.search(r"<dt>Injuries</dt><dd>Yes</dd>", page)


def test_the_safety_panel_comes_first_and_names_weapons_threats_strangulation_and_children(
    client_for, case
):
    page = _page(client_for("caseworker"), case)
    panel = page[page.index('class="safety-panel"') : page.index("</section>")]

    assert page.index('class="safety-panel"') < page.index('id="identity"')
    for flag in ("weapons", "threats_to_kill", "strangulation", "children_present", "injuries"):
        assert f'data-flag="{flag}"' in panel, flag
    assert "stalking" not in panel
    assert RIFLE in panel


def test_an_incident_known_by_its_day_shows_the_day_and_no_time(client_for, case):
    page = _page(client_for("caseworker"), case)
    incident = page[page.index('<li class="timeline-incident">') :]
    day = case.incidents.get().occurred_on

    assert incident.split("</time>")[0].endswith(f">{day:%d.%m.%Y}")
    assert f'datetime="{day:%Y-%m-%d}"' in incident
    assert "12:00" not in page


def _grow(personas, case):
    """Another order with a check and a violation, a hold, a stay, a note and an incident."""
    counter = {"n": 0}

    def grow():
        counter["n"] += 1
        shelter = shelter_with_beds(personas.center, beds=2, name=f"Убежище {counter['n']}")
        beds = list(shelter.beds.order_by("label"))
        order = record_order(
            personas.caseworker,
            case,
            issued_on=timezone.localdate() - datetime.timedelta(days=3),
            number=f"ЗП-{counter['n']}",
        )
        order_services.police_check_record(
            actor=personas.caseworker,
            order=order,
            checked_on=timezone.localdate(),
            unit_officer="УП-7",
            outcome="complied",
        )
        order_services.violation_record(
            actor=personas.caseworker,
            order=order,
            occurred_on=timezone.localdate(),
            description="Пришёл к дому",
        )
        hold = placements.hold_place(actor=personas.caseworker, bed=beds[0], case=case)
        placements.hold_release(actor=personas.caseworker, hold=hold)
        placements.stay_admit(actor=personas.shelter_manager, bed=beds[1], case=case)
        services.note_add(actor=personas.caseworker, case=case, text="Ещё одна заметка")
        services.perpetrator_add(
            actor=personas.caseworker, case=case, full_name="Второй", relationship="other"
        )

    return grow


def test_the_timeline_shows_orders_checks_violations_holds_and_stays(client_for, personas, case):
    _grow(personas, case)()
    page = _page(client_for("caseworker"), case)

    for line in (
        "Protection order issued",
        "Police check",
        "Order violated",
        "Shelter bed held",
        "Hold ended",
        "Stay in a shelter began",
    ):
        assert line in page, line
    assert "Room 1, bed 2" in page
    assert "ул. Секретная" not in page  # the shelter's address stays with its organisation


def test_the_case_page_reads_a_fixed_number_of_queries_as_the_file_grows(
    client_for, personas, case
):
    client = client_for("caseworker")
    grow = _grow(personas, case)
    grow()  # every kind of row once, so the first count reads each kind

    answer = assert_queries_do_not_grow(lambda: client.get(f"/cases/{case.pk}/"), grow, at_most=35)

    assert answer.content.decode().count("Order violated") == 2


def test_the_case_api_gives_the_same_file_as_the_page(client_for, case):
    client = client_for("caseworker")
    file = client.get(f"{CASES}/{case.pk}").json()["file"]
    page = _page(client, case)

    assert [p["details"] for p in file["perpetrators"]] == [RIFLE]
    assert [c["first_name"] for c in file["children"]] == ["Айсулу"]
    assert file["violence_types"] == ["physical", "economic"]
    assert file["injuries"] is True
    keys = [flag["key"] for flag in file["safety"]]
    assert keys == ["weapons", "threats_to_kill", "strangulation", "children_present", "injuries"]
    assert all(f'data-flag="{key}"' in page for key in keys)


@pytest.mark.parametrize("persona", ["caseworker_other_center", "shelter_manager", "coordinator"])
def test_the_file_stays_with_those_who_may_see_the_case(client_for, case, persona):
    client = client_for(persona)

    assert client.get(f"/cases/{case.pk}/").status_code == 404
    assert client.get(f"{CASES}/{case.pk}").status_code == 404


def test_orders_and_shelters_fill_the_timeline_through_the_registry():
    assert {"protection_orders", "shelters"} <= set(_SOURCES)
    tree = ast.parse((Path(settings.BASE_DIR) / "cases" / "timeline.py").read_text())
    imported = {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not imported & {"protection_orders", "shelters", "referrals"}
