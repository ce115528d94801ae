"""The retention pages: the persona ladder, the policy form, holds shown with why, erasure."""

from __future__ import annotations

import datetime

import pytest

from cases.models import Case, Survivor
from crisis_ops.retention import services
from crisis_ops.retention.models import ErasureRequest, LegalHold, RetentionPolicy
from tests.cases.factories import intake
from tests.personas import PERSONAS
from tests.retention.factories import closed_case

pytestmark = pytest.mark.django_db


def expect(persona: str, allowed: dict[str, int], others: int) -> int:
    return allowed.get(persona, 302 if persona == "anonymous" else others)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_overview_is_for_org_admins(client_for, persona):
    response = client_for(persona).get("/retention/")
    assert response.status_code == expect(persona, {"org_admin": 200}, 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_policy_page_is_for_the_centers_org_admin(client_for, personas, persona):
    response = client_for(persona).get(f"/retention/{personas.center.pk}/policy/")
    assert response.status_code == expect(persona, {"org_admin": 200}, 404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_erasure_list_is_for_supervisors_and_org_admins(client_for, persona):
    response = client_for(persona).get("/retention/erasure/")
    allowed = {"supervisor": 200, "org_admin": 200, "supervisor_other_center": 200}
    assert response.status_code == expect(persona, allowed, 403)


@pytest.mark.parametrize("persona", PERSONAS)
def test_an_erasure_request_is_seen_only_in_its_center(client_for, personas, persona):
    case = intake(personas.caseworker, personas.center)
    erasure = services.erasure_request(actor=personas.supervisor, case_reference=case.reference)

    response = client_for(persona).get(f"/retention/erasure/{erasure.pk}/")

    assert response.status_code == expect(persona, {"supervisor": 200, "org_admin": 200}, 404)
    if response.status_code == 200:
        assert case.reference in response.content.decode()


def test_the_org_admin_saves_the_policy_per_kind_of_case(client_for, personas):
    response = client_for("org_admin").post(
        f"/retention/{personas.center.pk}/policy/",
        {"years": "7", "rule_with_protection_order": "10", "rule_with_children": ""},
    )

    assert response.status_code == 302
    policy = RetentionPolicy.objects.get(organisation=personas.center)
    assert policy.years == 7
    assert {r.kind: r.years for r in policy.rules.all()} == {"with_protection_order": 10}
    page = client_for("org_admin").get("/retention/").content.decode()
    assert (
        "kept 7 years after closing" in page and "Cases with a protection order: 10 years" in page
    )


@pytest.mark.parametrize("years", ["0", "-3", "abc", "", "1000000000000"])
def test_a_bad_policy_is_a_clear_400_and_nothing_saved(client_for, personas, years):
    response = client_for("org_admin").post(
        f"/retention/{personas.center.pk}/policy/", {"years": years}
    )

    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not RetentionPolicy.objects.exists()


def test_the_admin_sees_which_cases_a_hold_keeps_and_why(client_for, personas):
    held = closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1))
    Case.objects.filter(pk=held.pk).update(court_case_pending=True)
    by_hand = closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1))
    client = client_for("org_admin")

    response = client.post(
        f"/retention/{personas.center.pk}/holds/new/",
        {"case_reference": by_hand.reference, "reason": "Запрос прокуратуры 2-145/2026"},
    )
    assert response.status_code == 302
    page = client.get("/retention/").content.decode()

    assert held.reference in page and "A court case is pending." in page
    assert by_hand.reference in page and "Запрос прокуратуры 2-145/2026" in page
    assert held.survivor.full_name not in page


def test_a_hold_on_an_unknown_case_is_refused_on_the_form(client_for, personas):
    response = client_for("org_admin").post(
        f"/retention/{personas.center.pk}/holds/new/",
        {"case_reference": "C-NOPE", "reason": "x"},
    )
    assert response.status_code == 400
    assert "No case of Center A has this reference." in response.content.decode()
    assert not LegalHold.objects.exists()


def test_releasing_a_hold(client_for, personas):
    case = closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1))
    hold = services.legal_hold_set(
        actor=personas.org_admin,
        organisation=personas.center,
        case_reference=case.reference,
        reason="x",
    )
    assert client_for("supervisor").post(f"/retention/holds/{hold.pk}/release/").status_code == 404

    response = client_for("org_admin").post(f"/retention/holds/{hold.pk}/release/")

    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.released_by == personas.org_admin


def test_erasure_through_the_pages_takes_two_people(client_for, personas, destroyed_keys):
    case = intake(personas.caseworker, personas.center)

    response = client_for("supervisor").post(
        "/retention/erasure/new/", {"case_reference": case.reference}
    )
    erasure = ErasureRequest.objects.get()
    assert response.status_code == 302
    supervisor_page = client_for("supervisor").get(f"/retention/erasure/{erasure.pk}/")
    assert "Confirm and erase" not in supervisor_page.content.decode()
    refused = client_for("supervisor").post(f"/retention/erasure/{erasure.pk}/confirm/")
    assert refused.status_code == 400 and Survivor.objects.filter(pk=case.survivor_id).exists()

    admin_page = client_for("org_admin").get(f"/retention/erasure/{erasure.pk}/")
    assert "Confirm and erase" in admin_page.content.decode()
    done = client_for("org_admin").post(f"/retention/erasure/{erasure.pk}/confirm/", follow=True)

    assert done.status_code == 200 and "Erased" in done.content.decode()
    assert not Survivor.objects.filter(pk=case.survivor_id).exists()


@pytest.mark.parametrize("reference", ["", "C-NOPE", "x" * 30])
def test_a_bad_erasure_request_is_a_clear_400(client_for, reference):
    response = client_for("supervisor").post(
        "/retention/erasure/new/", {"case_reference": reference}
    )
    assert response.status_code == 400
    assert not ErasureRequest.objects.exists()


def test_the_case_page_and_api_mark_a_court_case_pending_which_holds_the_file(client_for, personas):
    from crisis_ops.audit.models import AuditEvent

    case = closed_case(personas.caseworker, personas.center, datetime.date(2020, 1, 1))

    page = client_for("caseworker").post(f"/cases/{case.pk}/court/", {"pending": "on"})
    assert page.status_code == 302
    case.refresh_from_db()
    assert case.court_case_pending
    assert AuditEvent.objects.filter(action="case.court_pending", object_id=str(case.pk)).exists()
    held = client_for("org_admin").get("/retention/").content.decode()
    assert "A court case is pending." in held

    api = client_for("caseworker").patch(
        f"/api/v1/cases/{case.pk}", {"court_case_pending": False}, content_type="application/json"
    )
    assert api.status_code == 200, api.json()
    assert api.json()["court_case_pending"] is False
    assert (
        "A court case is pending."
        not in client_for("org_admin").get("/retention/").content.decode()
    )
    assert (
        client_for("caseworker_other_center")
        .post(f"/cases/{case.pk}/court/", {"pending": "on"})
        .status_code
        == 404
    )
