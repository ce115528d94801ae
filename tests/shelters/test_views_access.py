"""Every shelter page walked by persona, garbage input that never ends in a 500, and the
ways in from elsewhere: the case page, the menu, the inbox."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from crisis_ops.reminders.services import reminders_claim_due
from shelters import services_placements as placements
from shelters.models import Bed, Occupancy, Room, Shelter, TurnAway
from tests.cases.factories import intake
from tests.factories import MembershipFactory, TOTPDeviceFactory, text
from tests.personas import sign_in
from tests.shelters.factories import (
    CASE_STAFF,
    NOT_CASE_STAFF,
    NOT_MANAGERS,
    SIGNED_IN,
    bed,
    hold_on,
    shelter_with_beds,
    stay_for,
)

pytestmark = [pytest.mark.django_db, pytest.mark.shelter_beds(3)]


# --- the persona ladder ------------------------------------------------------------------


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("name", ["board", "board_rows", "board_csv", "turn_aways"])
def test_every_member_sees_the_network_pages(client_for, shelter, persona, name):
    assert client_for(persona).get(reverse(f"shelters:{name}")).status_code == 200


def test_anonymous_is_sent_to_sign_in_from_every_page(client_for, personas, shelter, case):
    hold = hold_on(personas, shelter, case)
    client = client_for("anonymous")
    urls = [
        reverse(f"shelters:{name}")
        for name in (
            "board",
            "board_rows",
            "board_csv",
            "my_holds",
            "my_shelter",
            "shelter_new",
            "turn_aways",
        )
    ] + [
        reverse(f"shelters:{name}", args=[shelter.pk])
        for name in ("grid", "hold_place", "shelter_setup")
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/")
    assert client.post(reverse("shelters:hold_release", args=[hold.pk])).status_code == 302
    assert client.post(reverse("shelters:hold_place", args=[shelter.pk]), {}).status_code == 302
    assert Occupancy.objects.get().ended_at is None


@pytest.mark.parametrize("persona", CASE_STAFF)
def test_caseworkers_of_any_center_open_the_hold_page_and_their_holds(client_for, shelter, persona):
    client = client_for(persona)
    assert client.get(reverse("shelters:hold_place", args=[shelter.pk])).status_code == 200
    assert client.get(reverse("shelters:my_holds")).status_code == 200


@pytest.mark.parametrize("persona", NOT_CASE_STAFF)
def test_roles_without_cases_cannot_hold(client_for, shelter, persona):
    client = client_for(persona)
    assert client.get(reverse("shelters:hold_place", args=[shelter.pk])).status_code == 403
    assert client.get(reverse("shelters:my_holds")).status_code == 403


def test_a_closed_shelter_cannot_be_held(client_for, shelter):
    shelter.is_active = False
    shelter.save()
    response = client_for("caseworker").get(reverse("shelters:hold_place", args=[shelter.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_only_the_shelter_manager_runs_the_grid(client_for, personas, shelter, case, persona):
    hold = hold_on(personas, shelter, case)
    stay = stay_for(personas, case, shelter, label="2")
    client = client_for(persona)

    assert client.get(reverse("shelters:grid", args=[shelter.pk])).status_code == 404
    assert client.get(reverse("shelters:bed_admit", args=[bed(shelter, "3").pk])).status_code == 404
    toggle = reverse("shelters:bed_toggle", args=[bed(shelter, "3").pk])
    assert client.post(toggle, {"field": "out_of_service"}).status_code == 404
    confirm = reverse("shelters:hold_confirm", args=[hold.pk])
    assert client.post(confirm, {}).status_code == 404
    discharge = reverse("shelters:stay_discharge", args=[stay.pk])
    assert client.post(discharge, {"outcome": "family"}).status_code == 404
    edit = reverse("shelters:stay_edit", args=[stay.pk])
    assert client.post(edit, {"expected_end": ""}).status_code == 404
    assert not bed(shelter, "3").out_of_service
    assert Occupancy.objects.get(pk=stay.pk).ended_at is None
    assert Occupancy.objects.get(pk=hold.pk).kind == "hold"


def test_another_centers_manager_does_not_see_the_grid(personas, shelter):
    stranger = MembershipFactory.create(
        user__username="zarina", role="shelter_manager", organisation=personas.other_center
    ).user
    TOTPDeviceFactory.create(user=stranger)
    client = sign_in(Client(), stranger)

    assert client.get(reverse("shelters:grid", args=[shelter.pk])).status_code == 404
    assert client.get(reverse("shelters:my_shelter")).status_code == 200


def test_the_manager_of_one_shelter_lands_on_its_grid(client_for, shelter):
    response = client_for("shelter_manager").get(reverse("shelters:my_shelter"))

    assert response.status_code == 302
    assert response.url == reverse("shelters:grid", args=[shelter.pk])


def test_the_manager_of_two_shelters_chooses(client_for, personas, shelter):
    second = shelter_with_beds(personas.center, name="Второй дом")
    page = text(client_for("shelter_manager").get(reverse("shelters:my_shelter")))

    assert reverse("shelters:grid", args=[shelter.pk]) in page
    assert reverse("shelters:grid", args=[second.pk]) in page


@pytest.mark.parametrize(
    "persona, status",
    [
        ("caseworker", 403),
        ("caseworker_other_center", 403),
        ("supervisor", 403),
        ("coordinator", 403),
        ("org_admin", 200),
    ],
)
def test_my_shelter_is_for_who_runs_or_sets_up_shelters(client_for, shelter, persona, status):
    assert client_for(persona).get(reverse("shelters:my_shelter")).status_code == status


@pytest.mark.parametrize(
    "persona, new_status, setup_status",
    [
        ("caseworker", 403, 404),
        ("caseworker_other_center", 403, 404),
        ("supervisor", 403, 404),
        ("coordinator", 403, 404),
        ("shelter_manager", 200, 200),
        ("org_admin", 200, 200),
    ],
)
def test_set_up_is_for_org_admins_and_shelter_managers(
    client_for, shelter, persona, new_status, setup_status
):
    client = client_for(persona)
    assert client.get(reverse("shelters:shelter_new")).status_code == new_status
    setup = reverse("shelters:shelter_setup", args=[shelter.pk])
    assert client.get(setup).status_code == setup_status


# --- the case page -----------------------------------------------------------------------


def test_the_case_page_lists_holds_and_links_to_the_board(client_for, personas, shelter, case):
    hold_on(personas, shelter, case)
    page = text(client_for("caseworker").get(reverse("cases:case_detail", args=[case.pk])))

    assert "Find a bed" in page
    assert f"/shelters/?case={case.pk}" in page
    assert "Убежище «Шанс»" in page and "Held until" in page


def test_the_board_carries_the_case_to_the_hold_link(client_for, shelter, case):
    page = text(client_for("caseworker").get(reverse("shelters:board"), {"case": str(case.pk)}))
    assert f"/shelters/{shelter.pk}/hold/?case={case.pk}" in page


def test_the_menu_leads_to_the_shelter_pages(client_for):
    assert 'href="/shelters/"' in text(client_for("caseworker").get("/"))
    manager = text(client_for("shelter_manager").get("/"))
    assert 'href="/shelters/mine/"' in manager and 'href="/shelters/turn-aways/"' in manager


def test_a_hold_released_from_the_case_page_returns_to_it(client_for, personas, shelter, case):
    hold = hold_on(personas, shelter, case)
    response = client_for("caseworker").post(
        reverse("shelters:hold_release", args=[hold.pk]), {"back": "case", "confirmed": "yes"}
    )

    assert response.url == reverse("cases:case_detail", args=[case.pk])
    hold.refresh_from_db()
    assert hold.end_reason == "released"


def test_the_csv_link_follows_the_filters(client_for, shelter):
    rows = text(client_for("caseworker").get(reverse("shelters:board_rows"), {"kind": "cot"}))

    assert f"{reverse('shelters:board_csv')}?kind=cot" in rows
    assert "No shelter matches these filters." in rows


GARBAGE = {
    "case": "x",
    "kind": "x",
    "field": "x",
    "outcome": "x",
    "expected_end": "31.02.2026",
    "admitted_on": "x",
    "survivor_code": "x" * 50,
    "children_beds": ["x"],
    "people": "-3",
    "shelter": "x",
    "reason": "x",
    "bed_kind": "x",
    "occurred_on": "x",
    "room": "x",
    "label": "",
    "name": "",
    "region": "x",
    "intake_phone": "x",
    "organisation": "x",
}


@pytest.mark.parametrize("persona", ["caseworker", "shelter_manager", "org_admin"])
def test_garbage_never_ends_in_a_500_and_saves_nothing(client_for, personas, shelter, persona):
    case = intake(personas.caseworker, personas.center)
    hold = hold_on(personas, shelter, case)
    stay = stay_for(personas, case, shelter, label="2")
    before = list(Occupancy.objects.order_by("pk").values_list("kind", "ended_at"))
    client = client_for(persona)
    urls = [
        reverse("shelters:hold_place", args=[shelter.pk]),
        reverse("shelters:hold_confirm", args=[hold.pk]),
        reverse("shelters:bed_toggle", args=[bed(shelter, "3").pk]),
        reverse("shelters:bed_admit", args=[bed(shelter, "3").pk]),
        reverse("shelters:stay_discharge", args=[stay.pk]),
        reverse("shelters:stay_edit", args=[stay.pk]),
        reverse("shelters:shelter_new"),
        reverse("shelters:shelter_setup", args=[shelter.pk]),
        reverse("shelters:room_add", args=[shelter.pk]),
        reverse("shelters:bed_add", args=[shelter.pk]),
        reverse("shelters:turn_aways"),
    ]
    # The confirm forms of the grid are prefixed with their hold, one per hold.
    garbage = {**GARBAGE, f"{hold.pk}-expected_end": "x", f"{hold.pk}-children_beds": ["x"]}
    for url in urls:
        response = client.post(url, garbage)
        assert response.status_code in (400, 403, 404), (url, response.status_code)
    assert list(Occupancy.objects.order_by("pk").values_list("kind", "ended_at")) == before
    assert TurnAway.objects.count() == 0
    assert Shelter.objects.count() == 1 and Room.objects.count() == 1 and Bed.objects.count() == 3
    assert not Bed.objects.filter(out_of_service=True).exists()


def test_the_managers_inbox_links_a_stay_ending_reminder_to_her_grid(
    client_for, personas, shelter, other_case, django_capture_on_commit_callbacks
):
    almaty = ZoneInfo("Asia/Almaty")
    with time_machine.travel(datetime.datetime(2026, 4, 1, 11, tzinfo=almaty), tick=False):
        stay, _ = placements.stay_admit(
            actor=personas.shelter_manager,
            bed=shelter.beds.order_by("label").first(),
            case=other_case,
            expected_end=datetime.date(2026, 4, 10),
        )
    with (
        time_machine.travel(datetime.datetime(2026, 4, 7, 9, 1, tzinfo=almaty), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        reminders_claim_due()

    manager_inbox = text(client_for("shelter_manager").get("/notifications/"))
    caseworker_inbox = text(client_for("caseworker_other_center").get("/notifications/"))

    assert f'href="/shelters/{shelter.pk}/"' in manager_inbox
    assert other_case.survivor.code in manager_inbox
    assert other_case.reference not in manager_inbox
    assert "No longer available to you" not in manager_inbox
    assert f'href="/cases/{other_case.pk}/"' in caseworker_inbox
    assert stay.ended_at is None
