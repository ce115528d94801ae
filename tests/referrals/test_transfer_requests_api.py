"""Transfer requests over the API and the pages: the persona ladder, bad input, and the
leak test — after the transfer B opens that one case, never another of A's."""

import pytest
from django.urls import reverse

from referrals import services
from referrals.models import Referral
from tests.cases.factories import intake
from tests.factories import post
from tests.referrals.factories import ask, helping

pytestmark = pytest.mark.django_db

API = "/api/v1"
OWNERS = ["caseworker", "caseworker_same_center", "supervisor"]
ASKERS = ["caseworker_other_center", "supervisor_other_center"]
NOBODY = ["shelter_manager", "coordinator", "org_admin"]


@pytest.fixture
def base(personas, case):
    return helping(personas, case)


@pytest.mark.parametrize("persona", OWNERS + ASKERS + NOBODY + ["anonymous"])
def test_request_transfer_ladder(client_for, base, persona):
    response = post(
        client_for(persona),
        f"{API}/referrals/{base.id}/request-transfer",
        {"reason": "moved", "note": ""},
    )

    expected = {"anonymous": 401}.get(
        persona, 201 if persona in ASKERS else (403 if persona in OWNERS else 404)
    )
    assert response.status_code == expected, response.content
    made = Referral.objects.filter(kind="transfer_request")
    assert made.count() == (1 if expected == 201 else 0)
    if expected == 201:
        body = response.json()
        assert body["kind"] == "transfer_request" and body["based_on"] == str(base.id)
        assert body["case"] is None and body["shared"] == {}


def test_bad_input_is_a_400_that_names_the_field(client_for, base):
    response = post(
        client_for("caseworker_other_center"),
        f"{API}/referrals/{base.id}/request-transfer",
        {"reason": "because", "note": "x" * 2001},
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"reason", "note"}
    assert not Referral.objects.filter(kind="transfer_request").exists()


@pytest.mark.parametrize("persona", OWNERS + ASKERS + NOBODY)
def test_a_request_is_listed_for_both_centers_only(client_for, personas, base, persona):
    request = ask(personas, base)
    rows = client_for(persona).get(f"{API}/referrals", {"kind": "transfer_request"}).json()

    references = [r["reference"] for r in rows["results"]]
    assert references == ([request.reference] if persona in OWNERS + ASKERS else [])
    for row in rows["results"]:
        # The case id only to the center whose case it is.
        assert (row["case"] is not None) == (persona in OWNERS)


@pytest.mark.parametrize("persona", OWNERS + ASKERS + NOBODY + ["anonymous"])
def test_accepting_over_the_api_ladder(client_for, personas, base, persona):
    request = ask(personas, base)

    response = post(client_for(persona), f"{API}/referrals/{request.id}/accept")

    expected = {"anonymous": 401}.get(
        persona, 200 if persona in OWNERS else (403 if persona in ASKERS else 404)
    )
    assert response.status_code == expected
    request.refresh_from_db()
    assert request.status == ("accepted" if expected == 200 else "sent")


def test_leak_after_the_transfer_one_case_and_no_other(client_for, personas, case, base):
    other = intake(personas.caseworker, personas.center)
    request = ask(personas, base)
    services.referral_accept(actor=personas.supervisor, referral=request)
    client = client_for("caseworker_other_center")

    assert client.get(f"{API}/cases/{case.id}").status_code == 200
    assert client.get(reverse("cases:case_detail", args=[case.id])).status_code == 200
    for url in (
        f"{API}/cases/{other.id}",
        f"{API}/cases/{other.id}/notes",
        reverse("cases:case_detail", args=[other.id]),
        reverse("referrals:referral_new", args=[other.id]),
    ):
        assert client.get(url).status_code == 404, url
    listed = [c["id"] for c in client.get(f"{API}/cases").json()["results"]]
    assert listed == [str(case.id)]
    # A no longer opens the case file it handed over.
    assert client_for("caseworker").get(f"{API}/cases/{case.id}").status_code == 404


def test_the_pages_offer_the_request_and_send_it(client_for, base):
    client = client_for("caseworker_other_center")
    page = client.get(reverse("referrals:referral_detail", args=[base.id])).content.decode()
    assert 'id="request-transfer"' in page

    sent = client.post(
        reverse("referrals:request_transfer", args=[base.id]),
        {"reason": "her_wish", "note": "Просит сама"},
        follow=True,
    )

    request = Referral.objects.get(kind="transfer_request")
    body = sent.content.decode()
    assert f"Transfer request {request.reference}" in body and "Просит сама" in body
    assert 'id="request-transfer"' not in body
    sender_page = client_for("caseworker").get(reverse("referrals:referral_detail", args=[base.id]))
    assert 'id="request-transfer"' not in sender_page.content.decode()


def test_a_refused_request_from_the_page_shows_the_message(client_for, personas, base):
    ask(personas, base)

    page = client_for("supervisor_other_center").post(
        reverse("referrals:request_transfer", args=[base.id]), {"reason": "moved"}, follow=True
    )

    assert "already under way" in page.content.decode()


@pytest.mark.parametrize("persona", OWNERS + ASKERS + NOBODY + ["anonymous"])
def test_request_page_ladder(client_for, personas, base, persona):
    request = ask(personas, base)

    response = client_for(persona).get(reverse("referrals:referral_detail", args=[request.id]))

    expected = {"anonymous": 302}.get(persona, 200 if persona in OWNERS + ASKERS else 404)
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert ('name="reason"' in body) == (persona in OWNERS)  # the decline form
        assert (case_link(request) in body) == (persona in OWNERS)


def case_link(request):
    return reverse("cases:case_detail", args=[request.case_id])


@pytest.mark.parametrize("persona", OWNERS + ASKERS)
def test_incoming_and_sent_lists_hold_requests(client_for, personas, base, persona):
    request = ask(personas, base)
    client = client_for(persona)

    incoming = client.get(reverse("referrals:incoming")).content.decode()
    sent = client.get(reverse("referrals:outgoing")).content.decode()

    assert (request.reference in incoming) == (persona in OWNERS)
    assert (request.reference in sent) == (persona in ASKERS)
    assert "Transfer request" in (incoming if persona in OWNERS else sent)


def test_the_schema_documents_the_request_and_its_errors(client_for):
    schema = client_for("caseworker").get("/api/schema/", {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/referrals/{referral_id}/request-transfer"]["post"]
    assert {"201", "400", "403", "404"} <= set(operation["responses"])
    error = operation["responses"]["400"]["content"]["application/json"]["schema"]["$ref"]
    assert error.endswith("/Error")
