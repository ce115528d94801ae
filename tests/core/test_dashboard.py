import pytest

from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]

# What each role's dashboard shows, and what it must not.
EXPECTED_CARD = {
    "caseworker": "card-caseworker",
    "caseworker_same_center": "card-caseworker",
    "caseworker_other_center": "card-caseworker",
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

    client.force_login(UserFactory())

    page = client.get("/").content.decode()

    assert "not a member of any organisation" in page


def test_dashboard_query_count_is_small(client_for, django_assert_max_num_queries):
    client = client_for("org_admin")
    with django_assert_max_num_queries(10):
        client.get("/")
