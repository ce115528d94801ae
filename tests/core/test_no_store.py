"""Nothing sent to a signed-in user stays in the browser's cache; static files do."""

import pytest

from tests.cases.factories import intake
from tests.urlwalk import every_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("persona", ["caseworker", "shelter_manager", "coordinator", "org_admin"])
def test_every_response_to_a_signed_in_user_is_no_store(client_for, personas, persona):
    case = intake(personas.caseworker, personas.center)
    ids = {"case_id": str(case.pk), "organisation_id": str(personas.center.pk)}
    client = client_for(persona)
    client.raise_request_exception = False
    cacheable = []
    for url in every_url(ids):
        response = client.get(url.path)
        if "no-store" not in response.get("Cache-Control", ""):
            cacheable.append((url.path, response.status_code, response.get("Cache-Control")))
    assert cacheable == []


def test_a_case_page_is_no_store(client_for, personas):
    case = intake(personas.caseworker, personas.center)

    response = client_for("caseworker").get(f"/cases/{case.pk}/")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_session_between_password_and_code_is_no_store(client, personas):
    from tests.factories import PASSWORD

    client.post("/accounts/login/", {"username": "alice", "password": PASSWORD})

    assert "no-store" in client.get("/cases/")["Cache-Control"]


def test_static_files_stay_cacheable_for_a_signed_in_user(client_for):
    client = client_for("caseworker")
    page = client.get("/")
    asset = next(p for p in page.content.decode().split('"') if p.startswith("/static/"))

    response = client.get(asset)

    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
