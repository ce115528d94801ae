import datetime

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from cases import services
from crisis_ops.audit.models import AuditEvent
from crisis_ops.encryption.cache import reset_key_cache
from tests.cases.factories import intake
from tests.personas import PERSONAS
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

CASE_READERS = ("caseworker", "caseworker_same_center", "supervisor")
NO_CASE_ROLE = ("shelter_manager", "coordinator", "org_admin")
LIST = reverse("cases:case_list")
INTAKE = reverse("cases:intake")


# --- the list ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", CASE_READERS)
def test_center_staff_see_the_center_cases(client_for, case, persona):
    page = client_for(persona).get(LIST).content.decode()

    assert case.reference in page
    assert case.survivor.full_name in page


def test_another_center_sees_none_of_them(client_for, case):
    response = client_for("caseworker_other_center").get(LIST)

    assert response.status_code == 200
    assert case.reference not in response.content.decode()


@pytest.mark.parametrize("persona", NO_CASE_ROLE)
def test_roles_without_case_access_get_no_list(client_for, case, persona):
    response = client_for(persona).get(LIST)

    assert response.status_code == 403
    assert case.survivor.full_name not in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client_for):
    assert client_for("anonymous").get(LIST).status_code == 302


def test_list_queries_do_not_grow_with_the_page(client_for, personas):
    client = client_for("caseworker")
    for _ in range(3):
        intake(personas.caseworker, personas.center)

    def twelve_more():
        for _ in range(12):
            intake(personas.caseworker, personas.center)

    page = assert_queries_do_not_grow(lambda: client.get(LIST), twelve_more, at_most=12)
    assert page.content.decode().count('class="case-row"') == 15


def test_a_cold_key_cache_costs_the_list_one_key_store_query_not_one_per_survivor(
    client_for, personas, django_assert_max_num_queries
):
    client = client_for("caseworker")
    for _ in range(6):
        intake(personas.caseworker, personas.center)
    reset_key_cache()
    with django_assert_max_num_queries(1, connection=connections["keystore"]):
        page = client.get(LIST).content.decode()
    assert page.count('class="case-row"') == 6
    assert "Айгерим" in page  # the names were decrypted, with the keys preloaded


def search(client, text: str) -> str:
    """The search box, without JavaScript: a POST, then the results page it redirects to."""
    response = client.post(LIST, {"q": text})
    assert response.status_code == 302
    assert text not in response.url and "q=" not in response.url
    return str(client.get(response.url).content.decode())


def test_search_by_phone_in_any_spelling(client_for, personas):
    wanted = intake(personas.caseworker, personas.center, survivor={"phone": "+7 701 555 12 34"})
    other = intake(personas.caseworker, personas.center)

    page = search(client_for("caseworker"), "8 (701) 555-12-34")

    assert wanted.reference in page
    assert other.reference not in page


def test_search_by_iin_and_by_name(client_for, personas):
    wanted = intake(personas.caseworker, personas.center, survivor={"full_name": "Жанар Бекова"})
    client = client_for("caseworker")

    assert wanted.reference in search(client, "бекова жанар")
    assert wanted.reference in search(client, wanted.survivor.iin)


def test_search_with_a_bad_iin_says_why(client_for, case):
    response = client_for("caseworker").post(LIST, {"q": "900101400011"})
    assert response.status_code == 400
    page = response.content.decode()

    assert "check digit" in page
    assert case.reference not in page


def test_filters(client_for, personas):
    high = intake(
        personas.caseworker, personas.center, risk_answers={str(q): True for q in range(1, 25)}
    )
    mine = intake(personas.caseworker_same_center, personas.center)
    services.case_change_status(actor=personas.caseworker, case=high, status="active")
    client = client_for("caseworker_same_center")

    by_risk = client.get(LIST, {"risk_band": "high"}).content.decode()
    by_status = client.get(LIST, {"status": "open"}).content.decode()
    by_owner = client.get(LIST, {"mine": "on"}).content.decode()

    assert high.reference in by_risk and mine.reference not in by_risk
    assert mine.reference in by_status and high.reference not in by_status
    assert mine.reference in by_owner and high.reference not in by_owner


def test_overdue_filter_finds_an_expired_consent(client_for, personas):
    stale = intake(personas.caseworker, personas.center)
    fresh = intake(personas.caseworker, personas.center)
    stale.consents.update(expires_on=timezone.localdate() - datetime.timedelta(days=1))

    page = client_for("caseworker").get(LIST, {"overdue": "on"}).content.decode()

    assert stale.reference in page and fresh.reference not in page


def test_restricted_cases_are_hidden_from_everyone_not_named(client_for, personas, case):
    services.case_restrict(actor=personas.caseworker, case=case, users=[personas.supervisor])
    detail = reverse("cases:case_detail", args=[case.pk])

    assert case.reference in client_for("supervisor").get(LIST).content.decode()
    assert client_for("supervisor").get(detail).status_code == 200
    assert case.reference not in client_for("caseworker_same_center").get(LIST).content.decode()
    assert client_for("caseworker_same_center").get(detail).status_code == 404


# --- the case page ------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_case_page_ladder(client_for, case, persona):
    response = client_for(persona).get(reverse("cases:case_detail", args=[case.pk]))

    expected = 200 if persona in CASE_READERS else (302 if persona == "anonymous" else 404)
    assert response.status_code == expected
    if expected != 200:
        assert case.survivor.full_name not in response.content.decode()


def test_every_read_is_audited_and_supervisors_see_who(client_for, personas, case):
    url = reverse("cases:case_detail", args=[case.pk])
    client_for("caseworker_same_center").get(url)

    page = client_for("supervisor").get(url).content.decode()

    reads = AuditEvent.objects.filter(action="case.viewed", object_id=str(case.pk))
    assert reads.count() == 2
    assert "Who opened this case" in page
    assert str(personas.caseworker_same_center) in page
    caseworker_page = client_for("caseworker").get(url).content.decode()
    assert "Who opened this case" not in caseworker_page


def test_case_page_shows_the_timeline(client_for, personas, case):
    services.note_add(actor=personas.caseworker, case=case, text="Позвонила, всё спокойно.")

    page = (
        client_for("caseworker").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    )

    assert "Позвонила, всё спокойно." in page
    assert "Он ударил её на кухне" in page
    assert "Case opened" in page


def test_adding_a_note_and_closing_the_case(client_for, personas, case):
    client = client_for("caseworker_same_center")

    client.post(reverse("cases:note_add", args=[case.pk]), {"text": "Нашли жильё."})
    client.post(reverse("cases:status_change", args=[case.pk]), {"status": "closed"})
    case.refresh_from_db()
    assert case.notes.count() == 1
    assert case.status == "open"  # closing needs a reason
    client.post(
        reverse("cases:status_change", args=[case.pk]),
        {"status": "closed", "closed_reason": "resolved", "confirmed": "yes"},
    )
    case.refresh_from_db()
    assert case.status == "closed"


def test_a_refused_case_action_shows_the_page_again_with_the_error_at_its_field(client_for, case):
    response = client_for("caseworker").post(
        reverse("cases:status_change", args=[case.pk]), {"status": "closed"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "Say why the case is closed." in page
    assert 'value="closed" selected' in page  # what she chose is kept
    case.refresh_from_db()
    assert case.status == "open"


def test_a_refused_revoke_names_why_at_the_top(client_for, case):
    import uuid

    response = client_for("caseworker").post(
        reverse("cases:consent_revoke", args=[case.pk, uuid.uuid4()])
    )

    assert response.status_code == 400
    assert 'class="form-errors"' in response.content.decode()
    assert "That consent is not on this case." in response.content.decode()


def test_other_center_cannot_write(client_for, case):
    response = client_for("caseworker_other_center").post(
        reverse("cases:note_add", args=[case.pk]), {"text": "x"}
    )

    assert response.status_code == 404
    assert case.notes.count() == 0


def test_a_future_incident_is_refused_on_the_page(client_for, case):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for("caseworker").post(
        reverse("cases:incident_add", args=[case.pk]),
        {
            "occurred_on": tomorrow.isoformat(),
            "violence_types": ["physical"],
            "gbvims_class": "physical_assault",
            "relationship": "spouse",
        },
    )

    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert case.incidents.count() == 1


def test_an_expired_consent_is_refused_on_the_page(client_for, case):
    before = case.consents.count()
    client_for("caseworker").post(
        reverse("cases:consent_add", args=[case.pk]),
        {"scope": "police", "granted_on": "2025-01-01", "expires_on": "2025-02-01"},
    )

    assert case.consents.count() == before


def test_supervisor_dashboard_lists_high_risk_cases(client_for, personas):
    case = intake(
        personas.caseworker, personas.center, risk_answers={str(q): True for q in range(1, 25)}
    )

    page = client_for("supervisor").get("/").content.decode()
    other = client_for("caseworker").get("/").content.decode()

    assert case.reference in page
    assert case.reference not in other
    assert "1 open case assigned to you" in other


@pytest.mark.parametrize(
    "typed, kind",
    [
        ("+7 (707) 123-45-67", "phone"),
        ("87071234567", "phone"),
        ("8 707 123 45 67", "phone"),
        ("900101400019", "iin"),
        ("9001 0140 0019", "iin"),
        ("Айгерим", "name"),
        ("Ким 2", "name"),
    ],
)
def test_search_understands_what_was_typed(typed, kind):
    from cases.selectors import search_kind

    assert search_kind(text=typed) == kind


def test_children_are_recorded_encrypted(client_for, case):
    client_for("caseworker").post(
        reverse("cases:child_add", args=[case.pk]), {"first_name": "Алия", "birth_year": "2019"}
    )

    child = case.children.get()
    assert (child.first_name, child.birth_year) == ("Алия", 2019)
    page = (
        client_for("caseworker").get(reverse("cases:case_detail", args=[case.pk])).content.decode()
    )
    assert "Алия (2019)" in page


def test_only_a_supervisor_reassigns(client_for, personas, case):
    url = reverse("cases:case_assign", args=[case.pk])
    payload = {"assignee": str(personas.caseworker_same_center.pk)}

    assert client_for("caseworker").post(url, payload).status_code == 403
    assert client_for("supervisor").post(url, payload).status_code == 302
    case.refresh_from_db()
    assert case.assigned_to == personas.caseworker_same_center


def test_reassigning_to_another_center_is_refused(client_for, personas, case):
    client_for("supervisor").post(
        reverse("cases:case_assign", args=[case.pk]),
        {"assignee": str(personas.caseworker_other_center.pk)},
    )

    case.refresh_from_db()
    assert case.assigned_to == personas.caseworker
