import pytest

from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]

# What each role's dashboard shows, and what it must not.
EXPECTED_CARD = {
    "caseworker": "card-caseworker",
    "caseworker_same_center": "card-caseworker",
    "caseworker_other_center": "card-caseworker",
    "supervisor_other_center": "card-supervisor",
    "supervisor": "card-supervisor",
    "shelter_manager": "card-shelter",
    "coordinator": "card-coordinator",
    "org_admin": "card-admin",
}


@pytest.mark.parametrize("persona", SIGNED_IN)
def test_each_role_gets_its_own_dashboard(client_for, persona):
    page = client_for(persona).get("/").content.decode()

    assert f'id="{EXPECTED_CARD[persona]}"' in page
    for other in set(EXPECTED_CARD.values()) - {EXPECTED_CARD[persona]}:
        assert f'id="{other}"' not in page


def test_anonymous_is_sent_to_sign_in(client_for):
    response = client_for("anonymous").get("/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/"


def test_navigation_follows_the_role(client_for):
    admin_page = client_for("org_admin").get("/").content.decode()
    caseworker_page = client_for("caseworker").get("/").content.decode()

    assert 'href="/organisations/staff/"' in admin_page
    assert 'href="/organisations/staff/"' not in caseworker_page


def test_org_admin_dashboard_counts_active_staff(client_for):
    page = client_for("org_admin").get("/").content.decode()

    assert "6 active staff members" in page


def test_user_without_membership_sees_how_to_get_one(db, client):
    from tests.factories import UserFactory
    from tests.personas import sign_in

    sign_in(client, UserFactory.create())

    page = client.get("/").content.decode()

    assert "not a member of any organisation" in page


def test_dashboard_query_count_is_small(client_for, django_assert_max_num_queries):
    client = client_for("org_admin")
    with django_assert_max_num_queries(10):
        client.get("/")


def test_shelter_manager_sees_free_beds_and_holds_waiting(client_for, personas):
    import datetime

    from django.utils import timezone

    from shelters import services_placements as placements
    from tests.cases.factories import intake
    from tests.shelters.factories import shelter_with_beds

    shelter = shelter_with_beds(personas.center, beds=4)
    beds = list(shelter.beds.order_by("label"))
    other_case = intake(personas.caseworker_other_center, personas.other_center)
    placements.hold_place(actor=personas.caseworker_other_center, bed=beds[0], case=other_case)
    placements.stay_admit(
        actor=personas.shelter_manager,
        bed=beds[1],
        case=intake(personas.caseworker, personas.center),
        expected_end=timezone.localdate() + datetime.timedelta(days=2),
    )

    page = client_for("shelter_manager").get("/").content.decode()

    assert f'href="/shelters/{shelter.pk}/"' in page
    assert "2 free beds of 4 in service" in page
    assert "1 hold waiting for your answer" in page
    assert "1 stay ends within 3 days" in page
    assert "No shelter is set up" not in page
