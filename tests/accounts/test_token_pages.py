"""Token pages and API walked by every persona; managing tokens needs the second factor."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crisis_ops.accounts.models import ApiToken
from crisis_ops.accounts.tokens import api_token_create
from tests.factories import PASSWORD
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

STAFF = [p for p in PERSONAS if p != "anonymous"]
# The org admin of center A administers these personas' tokens; not those of center B.
CENTER_A = {"caseworker", "caseworker_same_center", "supervisor", "shelter_manager",
            "coordinator", "org_admin"}  # fmt: skip


def tokens_of_everyone(personas) -> dict[str, ApiToken]:
    return {
        name: api_token_create(user=personas.user(name), name=f"{name} sync", scope="read")[0]
        for name in STAFF
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_token_page_lists_only_her_own_tokens(personas, client_for, persona):
    tokens = tokens_of_everyone(personas)

    response = client_for(persona).get(reverse("accounts:tokens"))

    if persona == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    listed = {t.pk for t in response.context["tokens"]}
    assert listed == {tokens[persona].pk}


@pytest.mark.parametrize("persona", PERSONAS)
def test_organisation_token_page_is_the_org_admins_of_her_members(personas, client_for, persona):
    tokens = tokens_of_everyone(personas)

    response = client_for(persona).get(reverse("accounts:organisation_tokens"))

    if persona == "anonymous":
        assert response.status_code == 302
    elif persona != "org_admin":
        assert response.status_code == 403
    else:
        assert response.status_code == 200
        assert {t.pk for t in response.context["tokens"]} == {tokens[p].pk for p in CENTER_A}
        assert b"charlie sync" not in response.content


@pytest.mark.parametrize("persona", PERSONAS)
def test_organisation_token_api_matches_the_page(personas, client_for, persona):
    tokens = tokens_of_everyone(personas)

    response = client_for(persona).get("/api/v1/organisation-tokens")

    expected = {"anonymous": 401, "org_admin": 200}.get(persona, 403)
    assert response.status_code == expected
    if expected == 200:
        ids = {row["id"] for row in response.json()["results"]}
        assert ids == {str(tokens[p].pk) for p in CENTER_A}


def test_creating_a_token_on_the_page_shows_the_key_once(personas, client_for):
    client = client_for("coordinator")

    response = client.post(
        reverse("accounts:tokens"), {"name": "Sheet", "scope": "read", "expires_in_days": 30}
    )

    assert response.status_code == 200
    key = response.context["created_key"]
    assert key and key.encode() in response.content
    assert key.encode() not in client.get(reverse("accounts:tokens")).content
    assert "no-store" in response["Cache-Control"]
    assert ApiToken.objects.get(user=personas.coordinator).name == "Sheet"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "scope": "read", "expires_in_days": 30}, "name"),
        ({"name": "x" * 101, "scope": "read", "expires_in_days": 30}, "name"),
        ({"name": "Sheet", "scope": "admin", "expires_in_days": 30}, "scope"),
        ({"name": "Sheet", "scope": "read", "expires_in_days": 91}, "expires_in_days"),
        ({"name": "Sheet", "scope": "read", "expires_in_days": 0}, "expires_in_days"),
    ],
)
def test_bad_token_input_is_a_form_error_and_a_400(personas, client_for, data, field):
    client = client_for("coordinator")

    page = client.post(reverse("accounts:tokens"), data)
    api = client.post("/api/v1/tokens", data, content_type="application/json")

    assert page.status_code == 200 and field in page.context["form"].errors
    assert api.status_code == 400 and field in api.json()["errors"]
    assert not ApiToken.objects.exists()


def test_creating_a_token_by_api_returns_the_key_once(personas, client_for):
    client = client_for("caseworker")

    created = client.post(
        "/api/v1/tokens", {"name": "Sheet", "scope": "write"}, content_type="application/json"
    )

    assert created.status_code == 201
    key = created.json()["key"]
    listed = client.get("/api/v1/tokens").json()["results"]
    assert [row["id"] for row in listed] == [created.json()["id"]]
    assert "key" not in listed[0]
    me = Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}")
    assert me.json()["username"] == "alice"


def test_a_password_only_session_cannot_create_a_token(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post(reverse("accounts:login"), {"username": "alice", "password": PASSWORD})

    page = client.post(reverse("accounts:tokens"), {"name": "x", "scope": "read"})
    api = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")

    assert page.status_code == 302 and page["Location"].startswith(reverse("accounts:verify"))
    assert api.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_token_cannot_make_list_or_revoke_tokens(personas):
    token, key = api_token_create(user=personas.caseworker, name="sync", scope="write")
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")

    created = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    listed = client.get("/api/v1/tokens")
    revoked = client.post(f"/api/v1/tokens/{token.pk}/revoke")

    assert (created.status_code, listed.status_code, revoked.status_code) == (403, 403, 403)
    assert ApiToken.objects.get().revoked_at is None


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_revoke_alices_token(personas, client_for, persona):
    token, key = api_token_create(user=personas.caseworker, name="sync", scope="read")

    page = client_for(persona).post(reverse("accounts:token_revoke", args=[token.pk]))

    token.refresh_from_db()
    if persona in {"caseworker", "org_admin"}:
        assert page.status_code == 302
        assert token.revoked_at is not None and token.revoked_by == personas.user(persona)
        assert Client().get("/api/v1/me", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
    else:
        assert page.status_code == (302 if persona == "anonymous" else 404)
        assert token.revoked_at is None


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_may_revoke_alices_token_by_api(personas, client_for, persona):
    token, _key = api_token_create(user=personas.caseworker, name="sync", scope="read")

    response = client_for(persona).post(f"/api/v1/tokens/{token.pk}/revoke")

    token.refresh_from_db()
    if persona in {"caseworker", "org_admin"}:
        assert response.status_code == 200 and response.json()["revoked_at"]
        assert token.revoked_at is not None
    else:
        assert response.status_code == (401 if persona == "anonymous" else 404)
        assert token.revoked_at is None


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_token_pages_are_translated(personas, client_for, language):
    client = client_for("org_admin")
    personas.org_admin.language = language
    personas.org_admin.save()

    own = client.get(reverse("accounts:tokens")).content.decode()
    organisation = client.get(reverse("accounts:organisation_tokens")).content.decode()

    for english in ("A token lets a program use the API", "Create token", "Staff API tokens"):
        assert english not in own + organisation


def test_the_token_lists_do_not_grow_in_queries_with_tokens(personas, client_for):
    client = client_for("org_admin")

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    tokens_of_everyone(personas)
    few = (count(reverse("accounts:organisation_tokens")), count("/api/v1/organisation-tokens"))
    for _ in range(3):
        tokens_of_everyone(personas)
    many = (count(reverse("accounts:organisation_tokens")), count("/api/v1/organisation-tokens"))

    assert many == few
