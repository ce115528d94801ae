"""The intake pages: the four steps, the autosaved draft, the duplicate warning."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, IntakeDraft
from tests.cases.factories import intake
from tests.factories import region

pytestmark = pytest.mark.django_db

CASE_READERS = ("caseworker", "caseworker_same_center", "supervisor")
NO_CASE_ROLE = ("shelter_manager", "coordinator", "org_admin")
LIST = reverse("cases:case_list")
INTAKE = reverse("cases:intake")


# --- the intake ---------------------------------------------------------------------------


STEP1 = {
    "step": "1",
    "full_name": "Гульмира Тестова",
    "iin": "",
    "phone": "+7 705 111 22 33",
    "birth_date": "1988-04-02",
    "safe_contact": "Только сестре",
    "address": "Алматы",
    "sex": "female",
    "age_band": "35-44",
    "disability": "none",
}


def _step1(personas_region=None):
    return {**STEP1, "region": str(region("almaty-city").pk)}


def test_the_draft_survives_a_reload(client_for, personas):
    client = client_for("caseworker")
    client.post(reverse("cases:intake_autosave"), _step1())

    page = client.get(INTAKE).content.decode()

    assert "Гульмира Тестова" in page
    assert "Draft saved." in page
    draft = IntakeDraft.objects.get(author=personas.caseworker)
    assert draft.data["step1"]["full_name"] == "Гульмира Тестова"


def test_the_draft_is_stored_encrypted(client_for, personas):
    from django.db import connection

    client_for("caseworker").post(reverse("cases:intake_autosave"), _step1())
    with connection.cursor() as cursor:
        cursor.execute("SELECT data::text FROM cases_intakedraft")
        (raw,) = cursor.fetchone()
    assert "Гульмира" not in raw


def test_the_whole_intake_opens_a_case(client_for, personas):
    client = client_for("caseworker")
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()

    assert client.post(INTAKE, {**_step1(), "action": "next"}).status_code == 302
    assert (
        client.post(
            INTAKE,
            {
                "step": "2",
                "action": "next",
                "occurred_on": yesterday,
                "violence_types": ["physical"],
                "gbvims_class": "physical_assault",
                "relationship": "former_spouse",
                "narrative": "Пришёл к её работе.",
                "perpetrator_name": "Б. Б.",
            },
        ).status_code
        == 302
    )
    assert (
        client.post(INTAKE, {"step": "3", "action": "next", "q1": "on", "q14": "on"}).status_code
        == 302
    )
    response = client.post(
        INTAKE,
        {
            "step": "4",
            "action": "finish",
            "source": "hotline_150",
            "consents": ["services", "statistics"],
        },
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:case_detail", args=[case.pk])
    assert case.survivor.phone == "+77051112233"
    assert case.incidents.get().narrative == "Пришёл к её работе."
    assert case.risk_assessments.get().score == 2
    assert not IntakeDraft.objects.exists()


def test_a_wrong_iin_stops_the_intake_with_a_message(client_for, personas):
    response = client_for("caseworker").post(
        INTAKE, {**_step1(), "iin": "900101400011", "action": "next"}
    )

    assert response.status_code == 200
    assert "check digit" in response.content.decode()
    assert not Case.objects.exists()


def test_duplicate_warning_on_phone(client_for, personas):
    intake(personas.caseworker, personas.center, survivor={"phone": "+7 705 111 22 33"})

    partial = (
        client_for("caseworker")
        .post(reverse("cases:intake_duplicates"), {"phone": "87051112233", "iin": ""})
        .content.decode()
    )

    assert "Possible duplicate" in partial


def test_no_duplicate_warning_across_centers(client_for, personas):
    intake(
        personas.caseworker_other_center,
        personas.other_center,
        survivor={"phone": "+7 705 111 22 33"},
    )

    partial = (
        client_for("caseworker")
        .post(reverse("cases:intake_duplicates"), {"phone": "87051112233"})
        .content.decode()
    )

    assert "Possible duplicate" not in partial


def test_the_duplicate_check_takes_no_iin_or_phone_in_the_address(client_for, personas):
    intake(personas.caseworker, personas.center, survivor={"phone": "+7 705 111 22 33"})
    client = client_for("caseworker")

    for query in ({"phone": "87051112233"}, {"iin": "900101400013"}):
        response = client.get(reverse("cases:intake_duplicates"), query)
        assert response.status_code == 400
        assert "Possible duplicate" not in response.content.decode()
    assert client.get(reverse("cases:intake_duplicates")).status_code == 405


@pytest.mark.parametrize("persona", NO_CASE_ROLE)
def test_intake_is_for_case_roles_only(client_for, persona):
    assert client_for(persona).get(INTAKE).status_code == 403
