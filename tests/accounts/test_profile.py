"""Her own setting for survivors' names on screen (issue 12, "A shared computer"): unset
until she chooses, chosen on the profile page, audited, and read by every page that
names a survivor."""

import pytest

from crisis_ops.audit.models import AuditEvent
from tests.cases.factories import intake

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


def test_a_new_user_has_not_chosen_and_the_page_says_by_screen(client_for, personas):
    assert personas.caseworker.show_survivor_names is None
    page = client_for("caseworker").get(PROFILE).content.decode()

    assert 'value="" id="id_show_survivor_names_0" checked' in page
    assert "By screen: hidden on a wide screen" in page


@pytest.mark.parametrize(("given", "stored"), [("yes", True), ("no", False), ("", None)])
def test_her_choice_is_saved_and_audited(client_for, personas, given, stored):
    personas.caseworker.show_survivor_names = not stored if stored is not None else True
    personas.caseworker.save()

    response = client_for("caseworker").post(PROFILE, {"show_survivor_names": given})

    assert response.status_code == 302
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.show_survivor_names is stored
    assert AuditEvent.objects.filter(
        action="user.name_display_changed", actor_id=personas.caseworker.pk
    ).exists()


def test_an_unknown_choice_is_refused_and_changes_nothing(client_for, personas):
    response = client_for("caseworker").post(PROFILE, {"show_survivor_names": "maybe"})

    assert response.status_code == 400
    personas.caseworker.refresh_from_db()
    assert personas.caseworker.show_survivor_names is None


def test_the_profile_needs_a_signed_in_user(client):
    assert client.get(PROFILE).status_code == 302


@pytest.mark.parametrize(
    ("show", "mode", "button"),
    [(None, "name-by-screen", True), (False, "name-hidden", True), (True, "name-shown", False)],
)
def test_the_case_page_and_list_follow_her_setting(client_for, personas, show, mode, button):
    case = intake(personas.caseworker, personas.center)
    personas.caseworker.show_survivor_names = show
    personas.caseworker.save()
    client = client_for("caseworker")

    for url in (f"/cases/{case.pk}/", "/cases/"):
        page = client.get(url).content.decode()
        assert f'class="name-guard {mode}"' in page, url
        assert case.reference in page, url
        assert ('class="link-button reveal-name"' in page) is button, url
