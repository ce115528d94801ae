"""Destructive or final actions ask first and say what will happen; nothing changes
until the confirmed post (crisis_ops/core/confirm.py). The order's revoke is in
tests/protection_orders/test_views.py."""

import pytest
from django.urls import reverse

from shelters import services_placements as services
from tests.cases.factories import intake
from tests.shelters.factories import shelter_with_beds

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelter(personas):
    return shelter_with_beds(personas.center, beds=2)


@pytest.fixture
def case(personas):
    return intake(personas.caseworker, personas.center)


def _asks(response, *phrases):
    page = response.content.decode()
    assert response.status_code == 200
    assert "This is what will happen" in page
    assert 'name="confirmed" value="yes"' in page
    for phrase in phrases:
        assert phrase in page


def test_releasing_a_hold_asks_first(client_for, personas, shelter, case):
    hold = services.hold_place(actor=personas.caseworker, bed=shelter.beds.first(), case=case)
    url = reverse("shelters:hold_release", args=[hold.pk])

    _asks(client_for("caseworker").post(url, {"back": "case"}), "The bed is free again at once")
    hold.refresh_from_db()
    assert hold.ended_at is None

    confirmed = client_for("caseworker").post(url, {"back": "case", "confirmed": "yes"})
    assert confirmed.url == reverse("cases:case_detail", args=[case.pk])
    hold.refresh_from_db()
    assert hold.ended_at is not None


def test_discharging_asks_first_and_names_the_outcome(client_for, personas, shelter, case):
    stay, _warnings = services.stay_admit(
        actor=personas.shelter_manager, bed=shelter.beds.first(), case=case
    )
    url = reverse("shelters:stay_discharge", args=[stay.pk])

    response = client_for("shelter_manager").post(url, {"outcome": "family"})

    _asks(response, case.survivor.code, "Her stay ends today")
    stay.refresh_from_db()
    assert stay.ended_at is None


def test_closing_a_case_asks_first(client_for, case):
    url = reverse("cases:status_change", args=[case.pk])
    body = {"status": "closed", "closed_reason": "resolved"}

    _asks(client_for("caseworker").post(url, body), case.reference, "It can be reopened later")
    case.refresh_from_db()
    assert case.status == "open"


def test_the_confirm_page_carries_a_fresh_key(client_for, case):
    url = reverse("cases:status_change", args=[case.pk])
    page = client_for("caseworker").post(
        url, {"status": "closed", "closed_reason": "resolved", "idempotency_key": "first-tap-01"}
    )

    assert 'name="idempotency_key"' in page.content.decode()
    assert "first-tap-01" not in page.content.decode()
