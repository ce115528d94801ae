"""After a full transfer the giving center reads what it wrote, and only that; staff who
join the receiving center later get the referred case; the lists export through the scope."""

import csv
import io

import pytest
from django.urls import reverse

from cases import services as case_services
from crisis_ops.audit.models import AuditEvent
from crisis_ops.organisations import services as org_services
from crisis_ops.organisations.roles import Role
from referrals import selectors, services
from referrals.models import Referral
from tests.referrals.factories import ask, center_partner, helping, refer

pytestmark = pytest.mark.django_db

GIVERS = ["caseworker", "caseworker_same_center", "supervisor"]
TAKERS = ["caseworker_other_center", "supervisor_other_center"]
NOBODY = ["shelter_manager", "coordinator", "org_admin"]


def _note(user, case, text):
    return case_services.note_add(actor=user, case=case, text=text)


@pytest.fixture
def transfer(personas, case):
    """A writes a note, hands the case over to B in full; B then writes its own."""
    _note(personas.caseworker, case, "Записка центра А")
    transfer = refer(
        personas.caseworker,
        case,
        center_partner(personas.other_center),
        ["identity"],
        is_transfer=True,
    )
    services.referral_accept(actor=personas.caseworker_other_center, referral=transfer)
    case.refresh_from_db()
    _note(personas.caseworker_other_center, case, "Записка центра Б")
    return transfer


@pytest.mark.parametrize("persona", GIVERS + TAKERS + NOBODY + ["anonymous"])
def test_handed_over_page_ladder(client_for, transfer, persona):
    response = client_for(persona).get(reverse("referrals:handed_over", args=[transfer.id]))

    expected = {"anonymous": 302}.get(persona, 200 if persona in GIVERS else 404)
    assert response.status_code == expected
    body = response.content.decode()
    assert ("Записка центра А" in body) == (persona in GIVERS)
    assert "Записка центра Б" not in body


@pytest.mark.parametrize("persona", GIVERS + TAKERS + NOBODY)
def test_handed_over_api_ladder(client_for, transfer, persona):
    response = client_for(persona).get(f"/api/v1/referrals/{transfer.id}/handed-over")

    assert response.status_code == (200 if persona in GIVERS else 404)
    if persona in GIVERS:
        texts = [e["text"] for e in response.json()["entries"] if e["kind"] == "note"]
        assert texts == ["Записка центра А"]


def test_each_read_is_audited(client_for, transfer):
    client_for("caseworker").get(reverse("referrals:handed_over", args=[transfer.id]))

    assert AuditEvent.objects.filter(
        action="case.handed_over_read", object_id=str(transfer.case_id)
    ).exists()


def test_a_referral_that_moved_nothing_has_no_handed_over_page(client_for, personas, case):
    referral = helping(personas, case)

    response = client_for("caseworker").get(reverse("referrals:handed_over", args=[referral.id]))

    assert response.status_code == 404


def test_the_center_that_gives_a_case_back_reads_only_its_own_time(
    client_for, personas, case, transfer
):
    services.referral_complete(
        actor=personas.caseworker_other_center, referral=transfer, outcome="transferred"
    )
    to_a = center_partner(personas.center)
    case_services.consent_grant(
        actor=personas.caseworker_other_center,
        case=case,
        scope="referral_center",
        granted_on=transfer.sent_at.date(),
        expires_on=None,
        parts=["identity"],
    )
    back = services.referral_send(
        actor=personas.caseworker_other_center,
        case=case,
        partner=to_a,
        purpose="case_management",
        parts=["identity"],
        is_transfer=True,
    )
    services.referral_accept(actor=personas.caseworker, referral=back)

    body = (
        client_for("caseworker_other_center")
        .get(reverse("referrals:handed_over", args=[back.id]))
        .content.decode()
    )

    assert "Записка центра Б" in body and "Записка центра А" not in body


def test_a_transfer_request_accepted_leaves_the_owner_its_writing(client_for, personas, case):
    _note(personas.caseworker, case, "Записка центра А")
    request = ask(personas, helping(personas, case))
    services.referral_accept(actor=personas.supervisor, referral=request)

    body = (
        client_for("supervisor")
        .get(reverse("referrals:handed_over", args=[request.id]))
        .content.decode()
    )

    assert "Записка центра А" in body


# --- staff who join or leave the receiving center ----------------------------------------


def _join(personas, username, role=Role.CASEWORKER):
    return org_services.member_create(
        actor=personas.org_admin,
        organisation=personas.other_center,
        username=username,
        first_name="Новая",
        last_name="Сотрудница",
        email=f"{username}@example.org",
        role=role,
        password="a-long-enough-Passw0rd-2026",
    )


def test_staff_who_join_after_acceptance_see_the_referred_case(personas, case):
    referral = helping(personas, case)

    newcomer = _join(personas, "madina").user

    shared = services.referral_open(actor=newcomer, referral=referral)
    assert set(shared.parts) == {"identity", "risk_band"}
    assert AuditEvent.objects.filter(action="case.access_granted", object_id=str(case.pk)).exists()


def test_staff_who_leave_or_change_role_lose_the_grant(personas, case):
    referral = helping(personas, case)
    membership = personas.caseworker_other_center.memberships.get()

    org_services.membership_update(
        actor=personas.supervisor_other_center,
        membership=membership,
        role=Role.SHELTER_MANAGER,
        is_active=True,
    )

    assert not selectors.has_referred_grant(
        user=personas.caseworker_other_center, referral=referral
    )
    assert AuditEvent.objects.filter(action="case.access_revoked", object_id=str(case.pk)).exists()


# --- the lists as CSV ---------------------------------------------------------------------


def _rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("persona", GIVERS + TAKERS + NOBODY + ["anonymous"])
def test_export_ladder_and_scope(client_for, personas, case, persona):
    referral = helping(personas, case)
    box = "incoming" if persona in TAKERS else "outgoing"

    response = client_for(persona).get(
        reverse("referrals:export_in" if box == "incoming" else "referrals:export_out")
    )

    if persona == "anonymous":
        assert response.status_code == 302
        return
    if persona in NOBODY:
        assert response.status_code == 403
        return
    rows = _rows(response)
    assert [r["reference"] for r in rows] == [referral.reference]
    assert (rows[0]["case"] == str(case.pk)) == (persona in GIVERS)
    assert "Айгерим" not in response.content.decode()
    assert AuditEvent.objects.filter(action="referral.list_exported").exists()


def test_export_defuses_formulas(client_for, personas, case):
    to_b = center_partner(personas.other_center)
    to_b.name = "=cmd()"
    to_b.save(update_fields=["name"])
    refer(personas.caseworker, case, to_b, ["identity"])

    rows = _rows(client_for("caseworker").get(reverse("referrals:export_out")))

    assert rows[0]["partner"] == "'=cmd()"
    assert Referral.objects.count() == 1
