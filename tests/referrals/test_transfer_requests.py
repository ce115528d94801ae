"""Transfer requests: center B asks center A, on a referral B accepted, for responsibility
for the case; A answers through the same accept/decline as any referral."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services as case_services
from cases.models import Case, CaseUserObjectPermission
from crisis_ops.audit.models import AuditEvent
from crisis_ops.notifications.models import Notification
from referrals import selectors, services
from referrals.models import Referral
from tests.cases.factories import intake
from tests.referrals.factories import ask, center_partner, helping, refer

pytestmark = pytest.mark.django_db


@pytest.fixture
def base(personas, case):
    return helping(personas, case)


def test_a_request_goes_to_the_owning_centers_incoming_and_the_askers_sent_list(personas, base):
    request = ask(personas, base)

    assert request.kind == "transfer_request" and request.is_transfer
    assert request.from_organisation_id == personas.other_center.pk
    assert request.to_organisation_id == personas.center.pk
    incoming = selectors.referral_list_for_user(user=personas.supervisor, box="incoming")
    sent = selectors.referral_list_for_user(user=personas.caseworker_other_center, box="outgoing")
    assert list(incoming) == [request] and request in sent
    assert AuditEvent.objects.filter(
        action="referral.transfer_requested", object_id=str(request.pk)
    ).exists()
    told = Notification.objects.filter(kind="transfer_requested", object_id=request.pk)
    assert {n.recipient for n in told} == {personas.caseworker, personas.supervisor}


def test_accepting_moves_the_case_to_the_asker_and_closes_the_referral_it_helped_on(
    personas, case, base
):
    request = ask(personas, base)

    services.referral_accept(actor=personas.supervisor, referral=request)

    case.refresh_from_db()
    base.refresh_from_db()
    assert case.organisation_id == personas.other_center.pk
    # The asker was a caseworker of the taking center: she takes the case on.
    assert case.assigned_to == personas.caseworker_other_center
    assert base.status == "completed" and base.outcome == "transferred"
    assert AuditEvent.objects.filter(action="case.transferred", object_id=str(case.pk)).exists()
    assert Notification.objects.filter(
        recipient=personas.caseworker_other_center, kind="referral_answered", object_id=request.pk
    ).exists()
    # The survivor's other case at A stays A's.
    other = intake(personas.caseworker, personas.center)
    assert Case.objects.get(pk=other.pk).organisation_id == personas.center.pk


def test_declining_keeps_everything_and_takes_a_reason_from_the_list(personas, case, base):
    request = ask(personas, base)

    with pytest.raises(ValidationError):
        services.referral_decline(actor=personas.caseworker, referral=request, reason="nope")
    services.referral_decline(actor=personas.caseworker, referral=request, reason="other")

    case.refresh_from_db()
    base.refresh_from_db()
    assert case.organisation_id == personas.center.pk and base.status == "accepted"
    assert CaseUserObjectPermission.objects.filter(
        content_object=case, user=personas.caseworker_other_center
    ).exists()


@pytest.mark.parametrize(
    "persona", ["caseworker_other_center", "supervisor_other_center", "shelter_manager"]
)
def test_only_the_owning_centers_case_staff_answer(personas, base, persona):
    request = ask(personas, base)

    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=personas.user(persona), referral=request)

    assert Referral.objects.get(pk=request.pk).status == "sent"


def test_a_restricted_case_is_answered_only_by_those_named_on_it(personas, case, base):
    request = ask(personas, base)
    Case.objects.filter(pk=case.pk).update(is_restricted=True)

    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=personas.caseworker_same_center, referral=request)
    assert not selectors.referral_list_for_user(
        user=personas.caseworker_same_center, box="incoming"
    ).exists()


@pytest.mark.parametrize("persona", ["caseworker", "supervisor", "coordinator", "org_admin"])
def test_only_the_center_helping_on_the_referral_may_ask(personas, base, persona):
    with pytest.raises(PermissionDenied):
        ask(personas, base, actor=personas.user(persona))

    assert not Referral.objects.filter(kind="transfer_request").exists()


def test_a_referral_not_yet_accepted_is_no_ground_to_ask(personas, case):
    center_partner(personas.center)
    sent = refer(personas.caseworker, case, center_partner(personas.other_center), ["identity"])

    with pytest.raises(ValidationError) as error:
        ask(personas, sent)

    assert "only while you help her" in error.value.message_dict["referral"][0]


def test_a_revoked_consent_is_no_ground_to_ask(personas, base):
    case_services.consent_revoke(actor=personas.caseworker, consent=base.consent)

    with pytest.raises(ValidationError) as error:
        ask(personas, base)

    assert "revoked" in error.value.message_dict["referral"][0]


def test_bad_reason_and_overlong_note_change_nothing(personas, base):
    with pytest.raises(ValidationError) as error:
        ask(personas, base, reason="because", note="x" * 2001)

    assert set(error.value.message_dict) == {"reason", "note"}
    assert not Referral.objects.filter(kind="transfer_request").exists()


def test_a_second_request_while_one_is_waiting_is_refused(personas, base):
    ask(personas, base)

    with pytest.raises(ValidationError) as error:
        ask(personas, base, actor=personas.supervisor_other_center)

    assert "already under way" in error.value.message_dict["referral"][0]
    assert Referral.objects.filter(kind="transfer_request").count() == 1


def test_an_answer_on_an_answered_request_changes_nothing(personas, base):
    request = ask(personas, base)
    services.referral_accept(actor=personas.caseworker, referral=request)

    with pytest.raises(ValidationError) as error:
        services.referral_decline(actor=personas.supervisor, referral=request, reason="other")

    assert "already accepted" in error.value.message_dict["status"][0]


def test_consent_revoked_while_the_request_waits_marks_it_and_refuses_acceptance(
    personas, case, base
):
    request = ask(personas, base)
    case_services.consent_revoke(actor=personas.caseworker, consent=base.consent)

    with pytest.raises(ValidationError) as error:
        services.referral_accept(actor=personas.supervisor, referral=request)

    request.refresh_from_db()
    case.refresh_from_db()
    assert "no longer valid" in error.value.message_dict["consent"][0]
    assert request.consent_revoked_at is not None and case.organisation_id == personas.center.pk
    assert Notification.objects.filter(
        recipient=personas.caseworker_other_center,
        kind="referral_consent_revoked",
        object_id=request.pk,
    ).exists()


def test_a_closed_case_is_not_handed_over(personas, case, base):
    request = ask(personas, base)
    Case.objects.filter(pk=case.pk).update(status="closed")

    with pytest.raises(ValidationError) as error:
        services.referral_accept(actor=personas.supervisor, referral=request)

    assert "reopen it" in error.value.message_dict["case"][0]
    assert Referral.objects.get(pk=request.pk).status == "sent"


def test_the_asker_withdraws_and_the_taker_completes(personas, base):
    request = ask(personas, base)
    with pytest.raises(PermissionDenied):
        services.referral_cancel(actor=personas.caseworker, referral=request)
    services.referral_cancel(actor=personas.caseworker_other_center, referral=request)
    assert Referral.objects.get(pk=request.pk).status == "cancelled"

    again = ask(personas, base)
    services.referral_accept(actor=personas.caseworker, referral=again)
    with pytest.raises(PermissionDenied):
        services.referral_complete(actor=personas.caseworker, referral=again, outcome="transferred")
    services.referral_complete(
        actor=personas.supervisor_other_center, referral=again, outcome="transferred"
    )
    assert Referral.objects.get(pk=again.pk).status == "completed"


def test_a_request_shares_nothing_and_has_no_letter(personas, base):
    request = ask(personas, base)

    for user in (personas.caseworker, personas.caseworker_other_center):
        shared = services.referral_open(actor=user, referral=request)
        assert shared.parts == {} and "asks for responsibility" in shared.hidden_because
    with pytest.raises(PermissionDenied):
        services.referral_letter_open(actor=personas.caseworker_other_center, referral=request)
