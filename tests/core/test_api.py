import pytest

from crisis_ops.accounts.tokens import api_token_create
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "anonymous"])
def test_me_describes_the_signed_in_user(client_for, personas, persona):
    user = personas.user(persona)

    body = client_for(persona).get("/api/v1/me").json()

    assert body["id"] == str(user.id)
    assert body["username"] == user.username
    assert body["language"] == user.language
    membership = user.memberships.get()
    assert body["memberships"] == [
        {
            "organisation_id": str(membership.organisation_id),
            "organisation_name": membership.organisation.name,
            "region": membership.organisation.region.code,
            "role": membership.role,
        }
    ]


def test_me_refuses_anonymous_in_the_error_format(client_for):
    response = client_for("anonymous").get("/api/v1/me")

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "errors"}


def test_token_authentication_works_for_integrations(personas, client):
    _token, key = api_token_create(user=personas.coordinator, name="integration", scope="read")

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    assert response.json()["username"] == "dana"


def test_unknown_api_path_is_json_404(client_for):
    response = client_for("caseworker").get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response.json()["errors"] == {}


def test_regions_list_all_twenty_with_population(client_for):
    body = client_for("coordinator").get("/api/v1/regions").json()

    assert len(body) == 20
    almaty = next(r for r in body if r["code"] == "almaty-city")
    assert almaty["population"] == 2292333
    assert almaty["kind"] == "city"


def test_region_names_follow_the_language(client_for, personas):
    personas.coordinator.language = "kk"
    personas.coordinator.save()

    body = client_for("coordinator").get("/api/v1/regions").json()

    assert "Түркістан облысы" in {r["name"] for r in body}


def test_openapi_schema_and_docs_work_offline(client):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"/api/v1/me" in schema.content
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "cdn" not in html.lower()
    assert "<script>" not in html  # the split view serves its init script as a file (CSP)
