"""The referral API: the persona ladder on every endpoint, the scope of what is shared,
bad input, and the leak test over the API."""

import json

import pytest

from cases import services as case_services
from crisis_ops.audit.models import AuditEvent
from referrals.models import Referral
from tests.cases.factories import intake
from tests.factories import post
from tests.referrals.factories import consent, refer

pytestmark = pytest.mark.django_db

API = "/api/v1"
SENDERS = ["caseworker", "caseworker_same_center", "supervisor"]
RECEIVERS = ["caseworker_other_center", "supervisor_other_center"]
NOBODY = ["shelter_manager", "coordinator", "org_admin"]


@pytest.fixture
def referral(personas, case, center_b, center_consent):
    return refer(personas.caseworker, case, center_b, ["identity", "risk_band"], skip_consent=True)


@pytest.mark.parametrize("persona", SENDERS + RECEIVERS + NOBODY + ["anonymous"])
def test_referral_detail_ladder(client_for, referral, persona):
    response = client_for(persona).get(f"{API}/referrals/{referral.id}")

    expected = {"anonymous": 401}.get(persona, 200 if persona in SENDERS + RECEIVERS else 404)
    assert response.status_code == expected
    body = response.content.decode()
    if persona not in SENDERS:
        # Before acceptance the receiving center sees the header, never the content.
        assert "Айгерим" not in body
        assert str(referral.case_id) not in body


@pytest.mark.parametrize("persona", SENDERS + RECEIVERS + NOBODY)
def test_referral_list_ladder(client_for, referral, persona):
    rows = client_for(persona).get(f"{API}/referrals").json()["results"]

    assert [r["reference"] for r in rows] == (
        [referral.reference] if persona in SENDERS + RECEIVERS else []
    )
    if persona in RECEIVERS:
        assert client_for(persona).get(f"{API}/referrals?box=outgoing").json()["results"] == []


@pytest.mark.parametrize("persona", SENDERS + RECEIVERS + NOBODY)
def test_case_referrals_ladder(client_for, referral, persona):
    response = client_for(persona).get(f"{API}/cases/{referral.case_id}/referrals")

    assert response.status_code == (200 if persona in SENDERS else 404)


@pytest.mark.parametrize("persona", SENDERS + NOBODY)
def test_only_the_receiving_center_accepts(client_for, referral, persona):
    response = post(client_for(persona), f"{API}/referrals/{referral.id}/accept")

    assert response.status_code in (403, 404)
    referral.refresh_from_db()
    assert referral.status == "sent"


def test_accepted_referral_shows_the_shared_parts_and_nothing_else(client_for, referral):
    client = client_for("caseworker_other_center")
    accepted = post(client, f"{API}/referrals/{referral.id}/accept")

    assert accepted.status_code == 200
    shared = accepted.json()["shared"]
    assert set(shared) == {"identity", "risk_band"}
    assert shared["identity"]["full_name"].startswith("Айгерим")
    body = accepted.content.decode()
    for secret in ("Алматы, ул. Абая", "Звонить только сестре", "+7 701", "Он ударил"):
        assert secret not in body
    assert AuditEvent.objects.filter(action="referral.snapshot_opened").count() == 1


def test_second_answer_is_a_400_with_a_message(client_for, referral):
    post(client_for("caseworker_other_center"), f"{API}/referrals/{referral.id}/accept")

    response = post(
        client_for("supervisor_other_center"),
        f"{API}/referrals/{referral.id}/decline",
        {"reason": "no_capacity"},
    )

    assert response.status_code == 400
    assert "already accepted" in response.json()["errors"]["status"][0]


def test_send_over_the_api_refuses_an_uncovered_part(client_for, case, center_b, center_consent):
    response = post(
        client_for("caseworker"),
        f"{API}/referrals",
        {
            "case": str(case.id),
            "partner": str(center_b.id),
            "purpose": "case_management",
            "parts": ["identity", "contact"],
        },
    )

    assert response.status_code == 400
    assert response.json()["errors"]["parts"] == [
        "Her consent for “Referral to another crisis center” does not cover: Contact details."
    ]
    assert not Referral.objects.exists()


def test_send_over_the_api(client_for, case, center_b, center_consent):
    response = post(
        client_for("caseworker"),
        f"{API}/referrals",
        {
            "case": str(case.id),
            "partner": str(center_b.id),
            "purpose": "case_management",
            "parts": ["identity"],
        },
    )

    assert response.status_code == 201, response.content
    assert response.json()["shared"]["identity"]["full_name"].startswith("Айгерим")
    assert response.json()["status"] == "sent"


@pytest.mark.parametrize(
    "body",
    [
        {"reason": "because"},
        {},
    ],
)
def test_bad_decline_body_is_a_400(client_for, referral, body):
    response = post(
        client_for("caseworker_other_center"), f"{API}/referrals/{referral.id}/decline", body
    )

    assert response.status_code == 400
    assert set(response.json()) == {"detail", "errors"}


def test_leak_after_transfer_and_after_revocation(
    client_for, personas, case, center_b, center_consent
):
    """B opens that one case's shared parts and nothing else of A, even guessing ids."""
    other = intake(personas.caseworker, personas.center)
    consent(personas.caseworker, other, "referral_center", ["identity", "contact"])
    client = client_for("caseworker_other_center")
    referral = refer(personas.caseworker, case, center_b, ["identity"], skip_consent=True)
    post(client, f"{API}/referrals/{referral.id}/accept")

    assert client.get(f"{API}/referrals/{referral.id}").json()["shared"]
    for url in (
        f"{API}/cases/{case.id}",
        f"{API}/cases/{other.id}",
        f"{API}/cases/{case.id}/notes",
        f"{API}/cases/{case.id}/referrals",
        f"{API}/cases/{other.id}/referrals",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"{API}/cases").json()["results"] == []

    case_services.consent_revoke(actor=personas.caseworker, consent=center_consent)

    after = client.get(f"{API}/referrals/{referral.id}").json()
    assert after["shared"] == {}
    assert "revoked" in after["hidden_because"]


@pytest.mark.parametrize("persona", ["caseworker", "org_admin", "caseworker_other_center"])
def test_partner_directory_hides_a_confidential_location_outside_its_owner(
    client_for, personas, persona
):
    from tests.referrals.factories import partner

    partner("social", name="Safe house", organisation=personas.center, location_confidential=True)

    rows = client_for(persona).get(f"{API}/partners?kind=social").json()["results"]

    if persona == "caseworker_other_center":
        assert rows == []  # center A's own list is not B's
    else:
        assert rows[0]["address_1"] == "ул. Толе би 55"


def test_network_partner_confidential_address_only_for_its_own_center(client_for, personas):
    from tests.referrals.factories import partner

    partner("social", name="Shelter B", linked_organisation=None, location_confidential=True)

    rows = client_for("caseworker").get(f"{API}/partners?kind=social").json()["results"]

    assert rows[0]["address_1"] == ""


def test_org_admin_adds_and_edits_partners_others_cannot(client_for, personas):
    body = {
        "name": "Клиника",
        "kind": "medical",
        "region": "almaty-city",
        "services": ["forensic_exam"],
    }
    refused = post(client_for("caseworker"), f"{API}/partners", body)
    created = post(client_for("org_admin"), f"{API}/partners", body)

    assert refused.status_code == 403
    assert created.status_code == 201, created.content
    url = f"{API}/partners/{created.json()['id']}"
    changed = client_for("org_admin").patch(
        url, json.dumps({"phone": "102"}), content_type="application/json"
    )
    assert changed.json()["phone"] == "102"
    assert (
        client_for("caseworker")
        .patch(url, json.dumps({"phone": "1"}), content_type="application/json")
        .status_code
        == 404
    )
