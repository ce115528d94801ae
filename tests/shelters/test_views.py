"""Shelter pages: the board, holds, the bed grid, set-up and turn-aways, by persona."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from crisis_ops.reminders.services import reminders_claim_due
from shelters import services
from shelters import services_placements as placements
from shelters.models import Bed, Occupancy, Room, Shelter, TurnAway
from tests.cases.factories import intake
from tests.factories import MembershipFactory, TOTPDeviceFactory, region
from tests.personas import sign_in
from tests.queries import assert_queries_do_not_grow
from tests.shelters.factories import minor_intake, shelter_with_beds

pytestmark = pytest.mark.django_db

ADDRESS = "ул. Секретная 7, кв. 3"
EVERYONE = (
    "caseworker",
    "caseworker_same_center",
    "caseworker_other_center",
    "supervisor",
    "shelter_manager",
    "coordinator",
    "org_admin",
)
HOLDERS = ("caseworker", "caseworker_same_center", "caseworker_other_center", "supervisor")
NOT_HOLDERS = ("shelter_manager", "coordinator", "org_admin")
NOT_MANAGERS = (
    "caseworker",
    "caseworker_same_center",
    "caseworker_other_center",
    "supervisor",
    "coordinator",
    "org_admin",
)


@pytest.fixture
def shelter(personas):
    return shelter_with_beds(personas.center, beds=3)


@pytest.fixture
def case(personas):
    return intake(personas.caseworker, personas.center)


def text(response) -> str:
    return response.content.decode()


def bed(shelter, label="1"):
    return shelter.beds.get(label=label)


def hold_on(personas, shelter, case, label="1"):
    return placements.hold_place(actor=personas.caseworker, bed=bed(shelter, label), case=case)


def stay_on(personas, shelter, case, label="1", **extra):
    stay, _warnings = placements.stay_admit(
        actor=personas.shelter_manager, bed=bed(shelter, label), case=case, **extra
    )
    return stay


# --- the persona ladder ------------------------------------------------------------------


@pytest.mark.parametrize("persona", EVERYONE)
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


@pytest.mark.parametrize("persona", HOLDERS)
def test_caseworkers_of_any_center_open_the_hold_page_and_their_holds(client_for, shelter, persona):
    client = client_for(persona)
    assert client.get(reverse("shelters:hold_place", args=[shelter.pk])).status_code == 200
    assert client.get(reverse("shelters:my_holds")).status_code == 200


@pytest.mark.parametrize("persona", NOT_HOLDERS)
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
    stay = stay_on(personas, shelter, case, label="2")
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
    stranger = MembershipFactory(
        user__username="zarina", role="shelter_manager", organisation=personas.other_center
    ).user
    TOTPDeviceFactory(user=stranger)
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


# --- the board ---------------------------------------------------------------------------


def test_board_shows_free_beds_by_kind_and_the_intake_phone(client_for, personas):
    shelter_with_beds(personas.center, beds=4, kinds=("adult", "child"))
    page = text(client_for("caseworker_other_center").get(reverse("shelters:board")))

    assert "Убежище «Шанс»" in page
    assert "Center A" in page
    assert '<dd class="free-adult">2</dd>' in page
    assert '<dd class="free-child">2</dd>' in page
    assert '<dd class="free-cot">0</dd>' in page
    assert "+7 727 000 00 00" in page
    assert 'hx-trigger="every 30s"' in page
    assert "X-Background-Refresh" in page


def test_the_street_address_is_shown_only_to_the_shelters_own_organisation(client_for, shelter):
    for name in ("board", "board_rows", "board_csv"):
        url = reverse(f"shelters:{name}")
        own = client_for("caseworker").get(url).content.decode()
        other = client_for("caseworker_other_center").get(url).content.decode()
        assert ADDRESS in own, name
        assert ADDRESS not in other, name
        assert "Убежище «Шанс»" in other, name


def test_the_csv_lists_the_board_columns(client_for, personas, shelter):
    response = client_for("caseworker_other_center").get(reverse("shelters:board_csv"))

    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # so Excel reads the Cyrillic right
    header, row = body.removeprefix("\ufeff").splitlines()[:2]
    assert header.startswith("Region,Shelter,Organisation,Free adult beds")
    assert "Убежище «Шанс»,Center A,3,0,0,0,0,3,3,+7 727 000 00 00" in row
    assert row.endswith(",")


def test_the_csv_defuses_spreadsheet_formulas(client_for, personas):
    shelter_with_beds(personas.center, name="=HYPERLINK(1)")
    body = client_for("caseworker").get(reverse("shelters:board_csv")).content.decode()

    assert "'=HYPERLINK(1)" in body


def test_board_filters_by_region_kind_and_accessibility(client_for, personas):
    shelter_with_beds(personas.center, name="Алматы взрослые", beds=2)
    astana = shelter_with_beds(personas.center, name="Астана дети", beds=2, kinds=("child",))
    astana.region = region("astana")
    astana.save()
    accessible = shelter_with_beds(personas.center, name="Доступный", beds=1)
    accessible.beds.update(wheelchair_accessible=True)
    client = client_for("caseworker")
    url = reverse("shelters:board_rows")

    by_region = text(client.get(url, {"region": region("astana").pk}))
    by_kind = text(client.get(url, {"kind": "child"}))
    by_access = text(client.get(url, {"accessible": "on"}))

    assert "Астана дети" in by_region and "Алматы взрослые" not in by_region
    assert "Астана дети" in by_kind and "Доступный" not in by_kind
    assert "Доступный" in by_access and "Алматы взрослые" not in by_access


def test_bad_filter_values_are_named_and_ignored(client_for, shelter):
    response = client_for("caseworker").get(
        reverse("shelters:board"), {"region": "not-a-region", "kind": "sofa"}
    )

    assert response.status_code == 200
    assert "Some filters could not be read" in text(response)
    assert "Убежище «Шанс»" in text(response)


def test_a_shelter_not_updated_for_a_day_is_marked_stale(client_for, shelter):
    Shelter.objects.filter(pk=shelter.pk).update(
        beds_updated_at=timezone.now() - datetime.timedelta(hours=25)
    )
    assert "Not updated for over a day" in text(client_for("caseworker").get("/shelters/"))

    Shelter.objects.filter(pk=shelter.pk).update(
        beds_updated_at=timezone.now() - datetime.timedelta(hours=2)
    )
    page = text(client_for("caseworker").get("/shelters/"))
    assert "Not updated for over a day" not in page
    assert "Beds updated 2" in page


def test_only_who_can_hold_sees_the_hold_action(client_for, shelter):
    hold_url = reverse("shelters:hold_place", args=[shelter.pk])
    assert hold_url in text(client_for("caseworker_other_center").get("/shelters/"))
    assert hold_url not in text(client_for("coordinator").get("/shelters/"))


def test_board_queries_do_not_grow_with_the_shelters(client_for, personas):
    client = client_for("caseworker")
    for n in range(2):
        shelter_with_beds(personas.center, name=f"Дом {n}", beds=2)

    def six_more():
        for n in range(2, 8):
            shelter_with_beds(personas.other_center, name=f"Дом {n}", beds=2)

    page = assert_queries_do_not_grow(
        lambda: client.get(reverse("shelters:board")), six_more, at_most=25
    )

    assert page.status_code == 200
    assert text(page).count('class="shelter-row') == 8


def test_grid_queries_do_not_grow_with_the_beds_holds_and_stays(
    client_for, personas, shelter, case, other_case
):
    """One of each to start (a hold, a stay), then more rooms, beds, holds and stays."""
    client = client_for("shelter_manager")
    url = reverse("shelters:grid", args=[shelter.pk])
    beds = list(shelter.beds.order_by("label"))
    placements.hold_place(actor=personas.caseworker_other_center, bed=beds[0], case=other_case)
    placements.stay_admit(actor=personas.shelter_manager, bed=beds[1], case=case)

    def more_rooms_beds_holds_and_stays():
        room = Room.objects.create(shelter=shelter, name="2")
        new = [Bed.objects.create(shelter=shelter, room=room, label=f"2-{n}") for n in range(6)]
        third = intake(personas.caseworker_other_center, personas.other_center)
        placements.hold_place(actor=personas.caseworker_other_center, bed=beds[2], case=third)
        for bed in new[:2]:
            resident = intake(personas.caseworker, personas.center)
            placements.stay_admit(actor=personas.shelter_manager, bed=bed, case=resident)

    page = assert_queries_do_not_grow(
        lambda: client.get(url), more_rooms_beds_holds_and_stays, at_most=40
    )

    assert page.status_code == 200
    assert case.survivor.code in text(page)
    assert Occupancy.objects.filter(bed__shelter=shelter, ended_at=None).count() == 5


# --- holding a bed -----------------------------------------------------------------------


def test_a_caseworker_of_another_center_holds_a_bed_for_her_case(
    client_for, personas, shelter, other_case
):
    client = client_for("caseworker_other_center")
    response = client.post(
        reverse("shelters:hold_place", args=[shelter.pk]),
        {"case": other_case.pk, "kind": "adult", "needs": "Диабет"},
    )

    hold = Occupancy.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("shelters:my_holds")
    assert hold.case == other_case and hold.kind == "hold" and hold.needs == "Диабет"
    page = text(client.get(response.url))
    until = timezone.localtime(hold.hold_expires_at).strftime("%H:%M")
    assert f"held for you until {until}" in page
    assert "+7 727 000 00 00" in page
    assert reverse("shelters:hold_release", args=[hold.pk]) in page


def test_the_hold_page_preselects_the_case_from_the_case_page(client_for, shelter, case):
    page = text(
        client_for("caseworker").get(
            reverse("shelters:hold_place", args=[shelter.pk]), {"case": str(case.pk)}
        )
    )
    assert f'<option value="{case.pk}" selected>' in page
    assert case.survivor.code in page


def test_a_taken_shelter_answers_409_and_saves_nothing(client_for, personas, case):
    shelter = shelter_with_beds(personas.center, beds=1)
    hold_on(personas, shelter, case)
    second = intake(personas.caseworker, personas.center)

    response = client_for("caseworker").post(
        reverse("shelters:hold_place", args=[shelter.pk]), {"case": second.pk, "kind": "adult"}
    )

    assert response.status_code == 409
    assert "This bed was just taken. Choose another one." in text(response)
    assert Occupancy.objects.count() == 1


def test_no_free_bed_of_that_kind_answers_409(client_for, personas, shelter):
    girl = minor_intake(personas.caseworker, personas.center)
    response = client_for("caseworker").post(
        reverse("shelters:hold_place", args=[shelter.pk]), {"case": girl.pk, "kind": "cot"}
    )

    assert response.status_code == 409
    assert Occupancy.objects.count() == 0


def test_a_case_she_may_not_change_cannot_be_held(client_for, shelter, case):
    response = client_for("caseworker_other_center").post(
        reverse("shelters:hold_place", args=[shelter.pk]), {"case": case.pk, "kind": "adult"}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert Occupancy.objects.count() == 0


def test_closed_cases_are_not_offered(client_for, personas, shelter, case):
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    response = client_for("caseworker").post(
        reverse("shelters:hold_place", args=[shelter.pk]), {"case": case.pk, "kind": "adult"}
    )

    assert response.status_code == 400
    assert Occupancy.objects.count() == 0


def test_a_bad_kind_saves_nothing_and_says_why(client_for, shelter, case):
    response = client_for("caseworker").post(
        reverse("shelters:hold_place", args=[shelter.pk]), {"case": case.pk, "kind": "sofa"}
    )

    assert response.status_code == 400
    assert "Select a valid choice" in text(response)
    assert Occupancy.objects.count() == 0


def test_her_colleague_releases_a_hold_and_an_outsider_cannot(client_for, personas, shelter, case):
    hold = hold_on(personas, shelter, case)
    url = reverse("shelters:hold_release", args=[hold.pk])

    for persona in ("caseworker_other_center", "coordinator", "org_admin"):
        assert client_for(persona).post(url).status_code == 404
    assert Occupancy.objects.get().ended_at is None

    response = client_for("caseworker_same_center").post(url, {"confirmed": "yes"})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.end_reason == "released"
    again = client_for("caseworker").post(url, follow=True)
    assert "This hold has already ended." in text(again)


def test_my_holds_lists_holds_of_her_cases_only(client_for, personas, shelter, case, other_case):
    hold_on(personas, shelter, case)
    placements.hold_place(
        actor=personas.caseworker_other_center, bed=bed(shelter, "2"), case=other_case
    )

    page = text(client_for("caseworker").get(reverse("shelters:my_holds")))

    assert case.reference in page
    assert other_case.reference not in page


# --- the bed grid ------------------------------------------------------------------------


def test_the_grid_shows_beds_by_state_with_codes_never_names(
    client_for, personas, shelter, case, other_case
):
    placements.hold_place(
        actor=personas.caseworker_other_center,
        bed=bed(shelter, "1"),
        case=other_case,
        needs="Коляска",
    )
    stay_on(
        personas,
        shelter,
        case,
        label="2",
        expected_end=timezone.localdate() + datetime.timedelta(days=200),
    )
    Bed.objects.filter(pk=bed(shelter, "3").pk).update(out_of_service=True)

    page = text(client_for("shelter_manager").get(reverse("shelters:grid", args=[shelter.pk])))

    assert "state-held" in page and "state-occupied" in page and "state-out_of_service" in page
    assert other_case.survivor.code in page and case.survivor.code in page
    assert "Center B" in page and "Коляска" in page
    assert "over 6 months" in page
    assert case.survivor.full_name not in page
    assert case.reference not in page
    assert reverse("cases:case_detail", args=[case.pk]) not in page


def test_one_click_puts_a_bed_out_of_service_and_back(client_for, shelter):
    client = client_for("shelter_manager")
    target = bed(shelter)
    url = reverse("shelters:bed_toggle", args=[target.pk])

    response = client.post(url, {"field": "out_of_service"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "state-out_of_service" in text(response)
    assert "Back in service" in text(response)
    assert "<html" not in text(response)
    target.refresh_from_db()
    assert target.out_of_service

    client.post(url, {"field": "out_of_service"}, HTTP_HX_REQUEST="true")
    response = client.post(url, {"field": "isolation"}, HTTP_HX_REQUEST="true")
    target.refresh_from_db()
    assert not target.out_of_service and target.isolation
    assert "End isolation" in text(response)


def test_an_occupied_bed_cannot_go_out_of_service_and_the_tile_says_why(
    client_for, personas, shelter, case
):
    stay_on(personas, shelter, case)
    response = client_for("shelter_manager").post(
        reverse("shelters:bed_toggle", args=[bed(shelter).pk]),
        {"field": "out_of_service"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert "discharge her first" in text(response)
    assert 'id="bed-' in text(response)
    assert not bed(shelter).out_of_service


def test_a_bad_toggle_field_is_refused(client_for, shelter):
    response = client_for("shelter_manager").post(
        reverse("shelters:bed_toggle", args=[bed(shelter).pk]), {"field": "kind"}
    )

    assert response.status_code == 400
    assert "Choose out of service or isolation." in text(response)


def test_the_manager_confirms_a_hold_with_a_bed_for_her_child(
    client_for, personas, shelter, other_case
):
    hold = placements.hold_place(
        actor=personas.caseworker_other_center, bed=bed(shelter, "1"), case=other_case
    )
    end = timezone.localdate() + datetime.timedelta(days=200)
    response = client_for("shelter_manager").post(
        reverse("shelters:hold_confirm", args=[hold.pk]),
        {
            f"{hold.pk}-expected_end": end.isoformat(),
            f"{hold.pk}-children_beds": [bed(shelter, "2").pk],
        },
        follow=True,
    )

    hold.refresh_from_db()
    assert response.status_code == 200
    assert hold.kind == "stay" and hold.expected_end == end
    assert hold.children_stays.get().bed == bed(shelter, "2")
    page = text(response)
    assert "limited to 6 months" in page
    assert f"{other_case.survivor.code} is admitted" in page


def test_a_bad_confirmation_date_saves_nothing(client_for, personas, shelter, case):
    hold = hold_on(personas, shelter, case)
    response = client_for("shelter_manager").post(
        reverse("shelters:hold_confirm", args=[hold.pk]), {f"{hold.pk}-expected_end": "soon"}
    )

    assert response.status_code == 400
    assert "Enter a valid date" in text(response)
    hold.refresh_from_db()
    assert hold.kind == "hold"


def test_the_manager_releases_a_hold_from_the_grid(client_for, personas, shelter, case):
    hold = hold_on(personas, shelter, case)
    response = client_for("shelter_manager").post(
        reverse("shelters:hold_release", args=[hold.pk]), {"back": "grid", "confirmed": "yes"}
    )

    assert response.url == reverse("shelters:grid", args=[shelter.pk])
    hold.refresh_from_db()
    assert hold.ended_at is not None


def admit(client, target, **data):
    fields = {"survivor_code": "", "admitted_on": timezone.localdate().isoformat()}
    fields.update(data)
    return client.post(reverse("shelters:bed_admit", args=[target.pk]), fields)


def test_the_manager_admits_by_survivor_code(client_for, shelter, case):
    end = timezone.localdate() + datetime.timedelta(days=30)
    response = admit(
        client_for("shelter_manager"),
        bed(shelter),
        survivor_code=case.survivor.code.lower(),
        expected_end=end.isoformat(),
        needs="Без глютена",
    )

    assert response.status_code == 302
    stay = Occupancy.objects.get()
    assert stay.case == case and stay.kind == "stay" and stay.expected_end == end


@pytest.mark.parametrize("code", ["NOPE-0000", "other"])
def test_an_unknown_or_foreign_code_saves_nothing(client_for, shelter, other_case, code):
    code = other_case.survivor.code if code == "other" else code
    response = admit(client_for("shelter_manager"), bed(shelter), survivor_code=code)

    assert response.status_code == 400
    assert "No open case of your center has this survivor code." in text(response)
    assert Occupancy.objects.count() == 0


def test_an_admission_in_the_future_saves_nothing(client_for, shelter, case):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = admit(
        client_for("shelter_manager"),
        bed(shelter),
        survivor_code=case.survivor.code,
        admitted_on=tomorrow.isoformat(),
    )

    assert response.status_code == 400
    assert "cannot be in the future" in text(response)
    assert Occupancy.objects.count() == 0


def test_admitting_to_a_taken_bed_answers_409(client_for, personas, shelter, case):
    hold_on(personas, shelter, case)
    second = intake(personas.caseworker, personas.center)
    response = admit(
        client_for("shelter_manager"), bed(shelter), survivor_code=second.survivor.code
    )

    assert response.status_code == 409
    assert "This bed was just taken. Choose another one." in text(response)
    assert Occupancy.objects.count() == 1


def test_the_manager_discharges_a_stay(client_for, personas, shelter, case):
    stay = stay_on(personas, shelter, case)
    url = reverse("shelters:stay_discharge", args=[stay.pk])

    bad = client_for("shelter_manager").post(url, {"outcome": "vanished"})
    assert bad.status_code == 400
    stay.refresh_from_db()
    assert stay.ended_at is None

    response = client_for("shelter_manager").post(url, {"outcome": "family", "confirmed": "yes"})
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.outcome == "family" and stay.ended_at is not None


def test_the_expected_end_moves_and_cannot_go_before_admission(client_for, personas, shelter, case):
    stay = stay_on(personas, shelter, case)
    url = reverse("shelters:stay_edit", args=[stay.pk])
    client = client_for("shelter_manager")

    bad = client.post(url, {"expected_end": "2000-01-01"})
    assert bad.status_code == 400
    assert "cannot end before it starts" in text(bad)
    stay.refresh_from_db()
    assert stay.expected_end is None

    end = timezone.localdate() + datetime.timedelta(days=10)
    assert client.post(url, {"expected_end": end.isoformat()}).status_code == 302
    stay.refresh_from_db()
    assert stay.expected_end == end


# --- set-up ------------------------------------------------------------------------------


def test_an_org_admin_creates_a_shelter_then_a_room_and_a_bed(client_for, personas):
    client = client_for("org_admin")
    response = client.post(
        reverse("shelters:shelter_new"),
        {
            "organisation": personas.center.pk,
            "name": "Дом надежды",
            "region": region("almaty-city").pk,
            "address": "ул. Тайная 1",
            "intake_phone": "+7 727 111 22 33",
        },
    )
    shelter = Shelter.objects.get()
    assert response.url == reverse("shelters:shelter_setup", args=[shelter.pk])
    assert shelter.organisation == personas.center

    client.post(reverse("shelters:room_add", args=[shelter.pk]), {"name": "101"})
    room = Room.objects.get(shelter=shelter)
    client.post(
        reverse("shelters:bed_add", args=[shelter.pk]),
        {"room": room.pk, "label": "A", "kind": "cot", "wheelchair_accessible": "on"},
    )
    new_bed = Bed.objects.get(shelter=shelter)
    assert new_bed.kind == "cot" and new_bed.wheelchair_accessible

    duplicate = client.post(
        reverse("shelters:bed_add", args=[shelter.pk]),
        {"room": room.pk, "label": "A", "kind": "cot"},
    )
    assert duplicate.status_code == 400
    assert "already has a bed with that label" in text(duplicate)
    assert Bed.objects.count() == 1


def test_a_shelter_for_another_organisation_cannot_be_created(client_for, personas):
    response = client_for("org_admin").post(
        reverse("shelters:shelter_new"),
        {
            "organisation": personas.other_center.pk,
            "name": "Чужой",
            "region": region("almaty-city").pk,
            "address": "x",
            "intake_phone": "+7 727 111 22 33",
        },
    )
    assert response.status_code == 400
    assert Shelter.objects.count() == 0


def test_a_bad_phone_saves_nothing_and_says_why(client_for, personas, shelter):
    response = client_for("shelter_manager").post(
        reverse("shelters:shelter_setup", args=[shelter.pk]),
        {
            "name": "Новое имя",
            "region": shelter.region_id,
            "address": ADDRESS,
            "intake_phone": "call me",
            "is_active": "on",
        },
    )

    assert response.status_code == 400
    assert "Enter a phone number" in text(response)
    shelter.refresh_from_db()
    assert shelter.name == "Убежище «Шанс»"


def test_a_shelter_with_residents_cannot_close(client_for, personas, shelter, case):
    stay_on(personas, shelter, case)
    response = client_for("shelter_manager").post(
        reverse("shelters:shelter_setup", args=[shelter.pk]),
        {
            "name": shelter.name,
            "region": shelter.region_id,
            "address": ADDRESS,
            "intake_phone": shelter.intake_phone,
        },
    )

    assert response.status_code == 400
    assert "Discharge every resident" in text(response)
    shelter.refresh_from_db()
    assert shelter.is_active


# --- turn-aways --------------------------------------------------------------------------


def turn_away(client, shelter, **data):
    fields = {
        "shelter": shelter.pk,
        "reason": "no_bed",
        "bed_kind": "adult",
        "people": 2,
        "occurred_on": timezone.localdate().isoformat(),
    }
    fields.update(data)
    return client.post(reverse("shelters:turn_aways"), fields)


def test_a_caseworker_records_a_turn_away_for_her_center(client_for, personas, shelter):
    response = turn_away(client_for("caseworker_other_center"), shelter)

    assert response.status_code == 302
    recorded = TurnAway.objects.get()
    assert recorded.requesting_organisation == personas.other_center
    assert recorded.people == 2


def test_the_manager_records_a_turn_away_at_her_shelter(client_for, shelter):
    assert turn_away(client_for("shelter_manager"), shelter).status_code == 302
    assert TurnAway.objects.get().requesting_organisation is None


def test_bad_turn_away_input_saves_nothing(client_for, shelter):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client = client_for("caseworker")

    too_many = turn_away(client, shelter, people=50)
    future = turn_away(client, shelter, occurred_on=tomorrow.isoformat())

    assert too_many.status_code == 400 and "Between 1 and 20 people" in text(too_many)
    assert future.status_code == 400 and "cannot be in the future" in text(future)
    assert TurnAway.objects.count() == 0


def test_the_coordinator_sees_the_figures_but_cannot_record(client_for, personas, shelter):
    services.turn_away_record(
        actor=personas.shelter_manager, shelter=shelter, reason="no_bed", bed_kind="adult", people=3
    )
    services.turn_away_record(
        actor=personas.shelter_manager,
        shelter=shelter,
        reason="quarantine",
        bed_kind="child",
        occurred_on=timezone.localdate() - datetime.timedelta(days=40),
    )
    client = client_for("coordinator")

    page = text(client.get(reverse("shelters:turn_aways")))
    assert "No free bed" in page and "<td>3</td>" in page
    assert "Quarantine" not in page
    assert "Record a turn-away" not in page
    assert turn_away(client, shelter).status_code == 403
    assert TurnAway.objects.count() == 2

    start = (timezone.localdate() - datetime.timedelta(days=60)).isoformat()
    older = text(client.get(reverse("shelters:turn_aways"), {"start": start}))
    assert "Quarantine" in older


def test_bad_dates_fall_back_to_the_last_30_days_with_a_message(client_for):
    response = client_for("caseworker").get(reverse("shelters:turn_aways"), {"start": "yesterday"})

    assert response.status_code == 200
    assert "Those dates could not be read" in text(response)


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
    stay = stay_on(personas, shelter, case, label="2")
    before = Occupancy.objects.order_by("pk").values_list("kind", "ended_at")
    before = list(before)
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
