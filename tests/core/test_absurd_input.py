"""Year 1, year 9999 and 100,000 characters: a clear 400 or form error, nothing written."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from cases.forms import SurvivorForm
from cases.models import Consent, Incident, Note
from crisis_ops.core.dates import BIRTH, EVENT, PLAN, DateRangeInput
from protection_orders.models import ProtectionOrder
from shelters.models import Occupancy, TurnAway
from tests.cases.factories import intake
from tests.factories import post
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db

V1 = "/api/v1"
HUGE = "x" * 100_000
YEAR_1, YEAR_9999 = "0001-01-01", "9999-12-31"


@pytest.fixture
def case(personas):
    return intake(personas.caseworker, personas.center)


def assert_400_on(response, field):
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] and field in body["errors"], body
    return body["errors"][field][0]


def today(days=0):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.mark.parametrize("field", ["text"])
def test_a_100000_character_note_is_400_and_not_saved(client_for, case, field):
    before = Note.objects.count()

    response = post(client_for("caseworker"), f"{V1}/cases/{case.pk}/notes", {"text": HUGE})

    assert "10000" in assert_400_on(response, "text").replace(",", "").replace(" ", "")
    assert Note.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occurred_on": YEAR_1}, "occurred_on"),
        ({"occurred_on": YEAR_9999}, "occurred_on"),
        ({"narrative": HUGE}, "narrative"),
    ],
)
def test_an_absurd_incident_is_400_and_not_saved(client_for, case, changes, field):
    before = Incident.objects.count()
    body = {
        "occurred_on": today(-1),
        "violence_types": ["physical"],
        "gbvims_class": "physical_assault",
        "relationship": "spouse",
        **changes,
    }

    response = post(client_for("caseworker"), f"{V1}/cases/{case.pk}/incidents", body)

    assert_400_on(response, field)
    assert Incident.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"granted_on": YEAR_1}, "granted_on"),
        ({"granted_on": YEAR_9999}, "granted_on"),
        ({"expires_on": YEAR_9999}, "expires_on"),
    ],
)
def test_an_absurd_consent_is_400_and_not_saved(client_for, case, changes, field):
    before = Consent.objects.count()

    response = post(
        client_for("caseworker"),
        f"{V1}/cases/{case.pk}/consents",
        {"scope": "services", **changes},
    )

    assert_400_on(response, field)
    assert Consent.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"issued_on": YEAR_9999}, "issued_on"),
        ({"issued_on": YEAR_1}, "issued_on"),
        ({"expires_on": YEAR_9999}, "expires_on"),
        ({"conditions": HUGE}, "conditions"),
    ],
)
def test_an_absurd_protection_order_is_400_and_not_saved(client_for, case, changes, field):
    body = {
        "case": str(case.pk),
        "order_type": "police-protection",
        "number": "ЗП-9",
        "issuing_unit": "УП",
        "issued_on": today(),
        **changes,
    }

    response = post(client_for("caseworker"), f"{V1}/protection-orders", body)

    assert_400_on(response, field)
    assert not ProtectionOrder.objects.exists()


def test_an_order_type_code_of_100000_characters_is_400(client_for, case):
    body = {"case": str(case.pk), "order_type": HUGE, "number": "1", "issuing_unit": "УП"}

    response = post(client_for("caseworker"), f"{V1}/protection-orders", body)

    assert_400_on(response, "order_type")
    assert len(response.content) < 2_000


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"admitted_on": YEAR_1}, "admitted_on"),
        ({"admitted_on": YEAR_9999}, "admitted_on"),
        ({"expected_end": YEAR_9999}, "expected_end"),
        ({"needs": HUGE}, "needs"),
    ],
)
def test_an_absurd_stay_is_400_and_not_saved(client_for, personas, case, changes, field):
    shelter = shelter_with_beds(personas.center, beds=1)
    body = {
        "bed": str(shelter.beds.get().pk),
        "survivor_code": case.survivor.code,
        **changes,
    }

    response = post(client_for("shelter_manager"), f"{V1}/stays", body)

    assert_400_on(response, field)
    assert not Occupancy.objects.exists()


@pytest.mark.parametrize("occurred_on", [YEAR_1, YEAR_9999, today(1)])
def test_an_absurd_turn_away_is_400_and_not_counted(client_for, personas, occurred_on):
    shelter = shelter_with_beds(personas.center, beds=1)
    body = {
        "shelter": str(shelter.pk),
        "reason": "no_bed",
        "bed_kind": "adult",
        "occurred_on": occurred_on,
    }

    response = post(client_for("shelter_manager"), f"{V1}/turn-aways", body)

    assert_400_on(response, "occurred_on")
    assert not TurnAway.objects.exists()


def test_a_shelter_address_of_100000_characters_is_400(client_for, personas):
    body = {
        "name": "Убежище",
        "region": str(personas.center.region_id),
        "address": HUGE,
        "intake_phone": "+7 727 000 00 00",
    }

    response = post(client_for("org_admin"), f"{V1}/shelters", body)

    assert_400_on(response, "address")


def test_a_100000_character_note_on_the_page_is_an_error_and_not_saved(client_for, case):
    before = Note.objects.count()

    response = client_for("caseworker").post(f"/cases/{case.pk}/notes/", {"text": HUGE})

    assert response.status_code == 400
    assert "at most 10000 characters" in response.content.decode().replace(",", "")
    assert Note.objects.count() == before


@pytest.mark.parametrize("occurred_on", [YEAR_1, YEAR_9999])
def test_an_absurd_incident_date_on_the_page_is_an_error_and_not_saved(
    client_for, case, occurred_on
):
    before = Incident.objects.count()

    response = client_for("caseworker").post(
        f"/cases/{case.pk}/incidents/new/",
        {
            "occurred_on": occurred_on,
            "violence_types": ["physical"],
            "gbvims_class": "physical_assault",
            "relationship": "spouse",
        },
    )

    assert response.status_code == 400
    assert "occurred_on" in response.context["form"].errors
    assert Incident.objects.count() == before


@pytest.mark.parametrize(
    ("birth_date", "ok"),
    [("1899-12-31", False), ("1900-01-01", True), (today(), True), (today(1), False)],
)
def test_a_birth_date_is_from_1900_to_today(birth_date, ok):
    form = SurvivorForm(data={"full_name": "А Б", "birth_date": birth_date})
    form.is_valid()

    assert ("birth_date" not in form.errors) is ok


def test_events_start_when_the_centers_records_begin(settings, client_for, case):
    settings.RECORDS_BEGIN = datetime.date(2015, 1, 1)

    response = post(
        client_for("caseworker"),
        f"{V1}/cases/{case.pk}/consents",
        {"scope": "services", "granted_on": "2014-12-31"},
    )

    assert "2015" in assert_400_on(response, "granted_on")


def test_a_plan_reaches_a_year_ahead_and_no_further():
    earliest, latest = PLAN.bounds()

    assert latest == timezone.localdate() + datetime.timedelta(days=366)
    assert EVENT.bounds()[1] == timezone.localdate() == BIRTH.bounds()[1]
    assert earliest == EVENT.bounds()[0]


def test_the_date_picker_shows_the_range_of_the_day_it_is_drawn():
    html = DateRangeInput(BIRTH).render("birth_date", None)

    assert 'min="1900-01-01"' in html
    assert f'max="{timezone.localdate().isoformat()}"' in html
    assert 'type="date"' in html
