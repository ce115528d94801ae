"""The lists under a case: incidents and notes, and the fixed number of queries every list
reads. Consents and risk assessments are in test_api_consents.py.

Who may call them is walked in test_api.py; here is what they do and refuse."""

import pytest
from django.utils import timezone

from cases import services
from cases.models import Incident, Note
from crisis_ops.audit.models import AuditEvent
from tests.cases.factories import CASES, assert_refused, days
from tests.factories import post
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def client(client_for):
    return client_for("caseworker")


# --- query counts ------------------------------------------------------------------------


def _add_incident(actor, case):
    services.incident_add(
        actor=actor,
        case=case,
        occurred_on=days(-1),
        violence_types=["sexual"],
        gbvims_class="rape",
        relationship="spouse",
    )


def _add_note(actor, case):
    services.note_add(actor=actor, case=case, text="Called back.")


def _add_consent(actor, case):
    services.consent_grant(
        actor=actor, case=case, scope="referral_legal", granted_on=TODAY(), expires_on=None
    )


def _add_assessment(actor, case):
    services.risk_assessment_record(actor=actor, case=case, answers={"1": True})


ADDERS = {
    "incidents": _add_incident,
    "notes": _add_note,
    "consents": _add_consent,
    "risk-assessments": _add_assessment,
}


@pytest.mark.parametrize("resource", ADDERS)
def test_lists_under_a_case_do_not_grow_in_queries(client, personas, case, resource):
    url = f"{CASES}/{case.id}/{resource}"
    ADDERS[resource](personas.caseworker, case)  # an empty list skips the page query
    before = client.get(url).json()["count"]

    def eight_more():
        for _ in range(8):
            ADDERS[resource](personas.caseworker_same_center, case)

    # As the case list, plus the case.
    page = assert_queries_do_not_grow(lambda: client.get(url), eight_more, at_most=17)

    assert page.json()["count"] == before + 8


# --- incidents ---------------------------------------------------------------------------


def incident(**overrides):
    return {
        "occurred_on": str(days(-1)),
        "violence_types": ["psychological", "economic", "psychological"],
        "gbvims_class": "psychological",
        "relationship": "former_spouse",
        "reported_to_police": True,
        "forensic_exam_done": True,
        "narrative": "Он забрал её зарплатную карту.",
        **overrides,
    }


def test_an_incident_is_added_to_the_case(client, personas, case):
    response = post(client, f"{CASES}/{case.id}/incidents", incident())

    assert response.status_code == 201
    body = response.json()
    saved = case.incidents.get(pk=body["id"])
    assert body["violence_types"] == ["economic", "psychological"]
    assert body["narrative"] == saved.narrative == "Он забрал её зарплатную карту."
    assert body["occurred_on"] == str(days(-1))
    assert body["forensic_exam_needed"] is True
    assert body["children_present"] is False
    assert AuditEvent.objects.filter(action="incident.created", object_id=str(saved.id)).exists()


def test_incidents_are_listed_latest_first_with_their_narrative(client, personas, case):
    post(client, f"{CASES}/{case.id}/incidents", incident(occurred_on=str(days(-30))))

    body = client.get(f"{CASES}/{case.id}/incidents").json()

    assert body["count"] == 2
    assert [row["occurred_on"] for row in body["results"]] == [str(days(-2)), str(days(-30))]
    assert body["results"][0]["narrative"] == "Он ударил её на кухне при детях."


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"occurred_on": str(days(1))}, "occurred_on"),
        ({"occurred_on": "1980-05-05"}, "occurred_on"),
        ({"occurred_on": "yesterday"}, "occurred_on"),
        ({"violence_types": ["physical", "spiritual"]}, "violence_types"),
        ({"violence_types": []}, "violence_types"),
        ({"violence_types": "physical"}, "violence_types"),
        ({"gbvims_class": "theft"}, "gbvims_class"),
        ({"relationship": "neighbour"}, "relationship"),
        ({"injuries": "perhaps"}, "injuries"),
    ],
    ids=[
        "in-the-future",
        "before-her-birth",
        "not-a-date",
        "unknown-violence-type",
        "no-violence-type",
        "types-not-a-list",
        "unknown-gbvims-class",
        "unknown-relationship",
        "not-a-boolean",
    ],
)
def test_a_bad_incident_is_refused_and_nothing_saved(client, case, overrides, field):
    response = post(client, f"{CASES}/{case.id}/incidents", incident(**overrides))

    assert_refused(response, field)
    assert Incident.objects.count() == 1


def test_an_incident_in_the_future_says_so(client, case):
    response = post(client, f"{CASES}/{case.id}/incidents", incident(occurred_on=str(days(1))))

    assert "future" in response.json()["errors"]["occurred_on"][0]


def test_an_incident_without_its_required_fields_names_each(client, case):
    response = post(client, f"{CASES}/{case.id}/incidents", {})

    assert_refused(response, "occurred_on", "violence_types", "gbvims_class", "relationship")


def test_a_body_that_is_not_json_is_a_400(client, case):
    response = client.post(
        f"{CASES}/{case.id}/incidents", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}
    assert Incident.objects.count() == 1


# --- notes -------------------------------------------------------------------------------


def test_a_note_is_written_by_the_caller(client_for, personas, case):
    response = post(client_for("supervisor"), f"{CASES}/{case.id}/notes", {"text": " Seen her. "})

    assert response.status_code == 201
    assert response.json()["text"] == "Seen her."
    assert response.json()["author"] == {
        "id": str(personas.supervisor.id),
        "name": str(personas.supervisor),
    }
    assert Note.objects.get().author == personas.supervisor


def test_notes_are_listed_latest_first(client, personas, case):
    services.note_add(actor=personas.caseworker, case=case, text="First call.")
    services.note_add(actor=personas.caseworker_same_center, case=case, text="Second call.")

    body = client.get(f"{CASES}/{case.id}/notes").json()

    assert [row["text"] for row in body["results"]] == ["Second call.", "First call."]
    assert body["results"][0]["author"]["id"] == str(personas.caseworker_same_center.id)


@pytest.mark.parametrize("body", [{"text": "   "}, {"text": ""}, {}, {"text": None}])
def test_an_empty_note_is_refused(client, case, body):
    assert_refused(post(client, f"{CASES}/{case.id}/notes", body), "text")
    assert not Note.objects.exists()
