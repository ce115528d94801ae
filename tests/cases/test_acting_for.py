"""A caseworker of two centers says which one she is acting for (issue 12): nothing is
taken silently; the choice holds for the session, shows in the header, filters and
labels the case list; the API takes the center explicitly and refuses a stranger's."""

import pytest
from django.urls import reverse

from cases import selectors
from cases.models import IntakeDraft
from crisis_ops.organisations.roles import Role
from tests.cases.factories import CASES, intake
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

ACTING = reverse("cases:acting_for")
INTAKE = reverse("cases:intake")
LIST = reverse("cases:case_list")


@pytest.fixture
def two_centers(personas):
    """alice works for Center A and Center B."""
    MembershipFactory.create(
        user=personas.caseworker, organisation=personas.other_center, role=Role.CASEWORKER
    )
    return personas


def _choose(client, organisation, next_url=LIST):
    return client.post(ACTING, {"organisation": str(organisation.pk), "next": next_url})


# --- the selectors ----------------------------------------------------------------------------


def test_with_one_center_it_is_hers_without_asking(personas):
    assert selectors.acting_organisation(user=personas.caseworker) == personas.center


def test_with_two_centers_nothing_is_taken_silently(two_centers):
    user = two_centers.caseworker

    assert selectors.acting_organisation(user=user) is None
    assert (
        selectors.acting_organisation(user=user, chosen_id=two_centers.other_center.pk)
        == two_centers.other_center
    )
    stranger = OrganisationFactory.create()
    assert selectors.acting_organisation(user=user, chosen_id=stranger.pk) is None


def test_the_case_list_selector_filters_by_center(two_centers):
    a = intake(two_centers.caseworker, two_centers.center)
    b = intake(two_centers.caseworker, two_centers.other_center)
    user = two_centers.caseworker

    assert set(selectors.case_list_for_user(user=user)) == {a, b}
    only_b = selectors.case_list_for_user(user=user, organisation_id=two_centers.other_center.pk)
    assert list(only_b) == [b]


# --- the pages --------------------------------------------------------------------------------


def test_the_intake_asks_which_center_first(client_for, two_centers):
    client = client_for("caseworker")

    response = client.get(INTAKE)

    assert response.status_code == 302 and response.url.startswith(ACTING)
    page = client.get(response.url).content.decode()
    assert "Center A" in page and "Center B" in page
    assert not IntakeDraft.objects.exists()


def test_the_chosen_center_takes_the_intake_and_shows_in_the_header(client_for, two_centers):
    client = client_for("caseworker")

    chosen = _choose(client, two_centers.other_center, INTAKE)
    assert chosen.status_code == 302 and chosen.url == INTAKE
    page = client.get(INTAKE)
    client.post(reverse("cases:intake_autosave"), {"step": "1", "full_name": "Айгуль"})

    assert page.status_code == 200
    assert "For: Center B" in page.content.decode()
    assert IntakeDraft.objects.get().organisation == two_centers.other_center


def test_the_case_list_is_labelled_until_chosen_then_filtered(client_for, two_centers):
    a = intake(two_centers.caseworker, two_centers.center)
    b = intake(two_centers.caseworker, two_centers.other_center)
    client = client_for("caseworker")

    both = client.get(LIST).content.decode()
    _choose(client, two_centers.center)
    only_a = client.get(LIST).content.decode()

    assert a.reference in both and b.reference in both
    assert f"{b.survivor.code} · Center B" in both
    assert a.reference in only_a and b.reference not in only_a
    assert "Cases of Center A." in only_a


def test_a_caseworker_of_one_center_is_not_asked_and_sees_no_chooser(client_for, personas):
    client = client_for("caseworker")

    assert client.get(INTAKE).status_code == 200
    assert "For: Center A" not in client.get(LIST).content.decode()


def test_choosing_a_center_she_does_not_work_for_is_refused(client_for, two_centers):
    client = client_for("caseworker")
    stranger = OrganisationFactory.create()

    response = _choose(client, stranger)

    assert response.status_code == 400
    assert client.get(INTAKE).status_code == 302  # still not chosen


def test_an_offsite_next_is_not_followed(client_for, two_centers):
    response = _choose(client_for("caseworker"), two_centers.center, "https://evil.example/")

    assert response.status_code == 302 and response.url == LIST


@pytest.mark.parametrize("persona", ["shelter_manager", "coordinator", "org_admin"])
def test_who_does_no_case_work_has_no_center_to_choose(client_for, persona):
    assert client_for(persona).get(ACTING).status_code == 403


# --- the API ----------------------------------------------------------------------------------


def test_the_api_filters_cases_by_a_center_she_works_for(client_for, two_centers):
    intake(two_centers.caseworker, two_centers.center)
    b = intake(two_centers.caseworker, two_centers.other_center)
    client = client_for("caseworker")

    rows = client.get(CASES, {"organisation": str(two_centers.other_center.pk)}).json()

    assert [r["id"] for r in rows["results"]] == [str(b.pk)]
    assert rows["results"][0]["organisation_id"] == str(two_centers.other_center.pk)


def test_the_api_refuses_a_center_she_does_not_work_for(client_for, personas):
    intake(personas.caseworker_other_center, personas.other_center)

    response = client_for("caseworker").get(CASES, {"organisation": str(personas.other_center.pk)})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"organisation"}
