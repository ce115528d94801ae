import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import services as case_services
from cases.models import CaseUserObjectPermission
from crisis_ops.audit.models import AuditEvent
from crisis_ops.notifications.models import Notification
from referrals import selectors, services
from referrals.models import Referral
from tests.cases.factories import intake
from tests.referrals.factories import center_partner, consent, partner

pytestmark = pytest.mark.django_db


def _send(personas, case, to, parts, **fields):
    return services.referral_send(
        actor=personas.caseworker,
        case=case,
        partner=to,
        purpose=fields.pop("purpose", to.kind.services[0]),
        parts=parts,
        delivery=fields.pop("delivery", "in_app" if to.linked_organisation_id else "handed"),
        **fields,
    )


def _grants(case):
    return CaseUserObjectPermission.objects.filter(
        content_object=case, permission__codename="view_referred_case"
    )


def test_send_without_consent_names_the_missing_scope(personas, case, legal_aid):
    with pytest.raises(ValidationError) as error:
        _send(personas, case, legal_aid, ["identity"])

    assert "Referral to legal aid" in error.value.message_dict["consent"][0]
    assert not Referral.objects.exists()


def test_send_with_a_part_the_consent_does_not_cover_is_refused(
    personas, case, center_b, center_consent
):
    with pytest.raises(ValidationError) as error:
        _send(personas, case, center_b, ["identity", "contact", "children"])

    assert error.value.message_dict["parts"] == [
        "Her consent for “Referral to another crisis center” does not cover: "
        "Contact details, Children."
    ]
    assert not Referral.objects.exists()


def test_expired_or_revoked_consent_does_not_count(personas, case, center_b, center_consent):
    case_services.consent_revoke(actor=personas.caseworker, consent=center_consent)

    with pytest.raises(ValidationError) as error:
        _send(personas, case, center_b, ["identity"])
    assert "no valid consent" in error.value.message_dict["consent"][0]


def test_wrong_kind_and_own_center_are_refused(personas, case, center_consent):
    police = partner("police")
    own = center_partner(personas.center)
    consent(personas.caseworker, case, "police", ["identity"])

    with pytest.raises(ValidationError) as wrong:
        _send(personas, case, police, ["identity"], purpose="forensic_exam")
    with pytest.raises(ValidationError) as self_referral:
        _send(personas, case, own, ["identity"])

    assert "does not offer this service" in wrong.value.message_dict["purpose"][0]
    assert self_referral.value.message_dict["partner"] == [
        "A case cannot be referred to its own center."
    ]
    assert not Referral.objects.exists()


def test_snapshot_holds_the_chosen_parts_frozen_at_sending(
    personas, case, center_b, center_consent
):
    referral = _send(personas, case, center_b, ["identity", "risk_band"])
    case.survivor.full_name = "Changed Later"
    case.survivor.save()

    stored = Referral.objects.get(pk=referral.pk).snapshot
    assert set(stored) == {"identity", "risk_band"}
    assert stored["identity"]["full_name"].startswith("Айгерим")
    assert "phone" not in str(stored)
    assert AuditEvent.objects.filter(action="referral.sent", object_id=str(referral.pk)).exists()


def test_police_override_needs_a_reason_notifies_and_is_audited(personas, case, legal_aid):
    police = partner("police")

    with pytest.raises(ValidationError):
        _send(personas, case, legal_aid, ["identity"], override_reason="danger")
    referral = _send(personas, case, police, ["identity"], override_reason="He has a knife")

    assert referral.consent is None and referral.consent_overridden
    assert AuditEvent.objects.filter(action="referral.consent_overridden").count() == 1
    assert Notification.objects.filter(
        recipient=personas.supervisor, kind="consent_overridden"
    ).exists()


def test_accept_grants_exactly_that_case_to_the_receiving_center(
    personas, case, center_b, center_consent
):
    other_case = intake(personas.caseworker, personas.center)
    referral = _send(personas, case, center_b, ["identity", "risk_band"])

    referral = services.referral_accept(actor=personas.caseworker_other_center, referral=referral)

    granted = set(_grants(case).values_list("user__username", flat=True))
    assert granted == {"charlie", "timur"}
    assert not _grants(other_case).exists()
    shared = services.referral_open(actor=personas.caseworker_other_center, referral=referral)
    assert set(shared.parts) == {"identity", "risk_band"}


def test_only_the_receiving_center_answers(personas, case, center_b, center_consent):
    referral = _send(personas, case, center_b, ["identity"])

    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=personas.caseworker, referral=referral)


def test_a_second_answer_is_refused_and_changes_nothing(personas, case, center_b, center_consent):
    referral = _send(personas, case, center_b, ["identity"])
    services.referral_accept(actor=personas.caseworker_other_center, referral=referral)

    with pytest.raises(ValidationError) as error:
        services.referral_decline(
            actor=personas.supervisor_other_center, referral=referral, reason="no_capacity"
        )
    referral.refresh_from_db()
    assert (
        referral.status == "accepted" and referral.answered_by == personas.caseworker_other_center
    )
    assert "already accepted" in error.value.message_dict["status"][0]


def test_decline_needs_a_listed_reason(personas, case, center_b, center_consent):
    referral = _send(personas, case, center_b, ["identity"])

    with pytest.raises(ValidationError):
        services.referral_decline(
            actor=personas.caseworker_other_center, referral=referral, reason="because"
        )
    services.referral_decline(
        actor=personas.caseworker_other_center, referral=referral, reason="no_capacity"
    )
    referral.refresh_from_db()
    assert referral.status == "declined" and referral.answered_at is not None


@pytest.mark.parametrize("ending", ["complete", "cancel"])
def test_completion_and_cancellation_remove_the_access(
    personas, case, center_b, center_consent, ending
):
    referral = _send(personas, case, center_b, ["identity"])
    referral = services.referral_accept(actor=personas.caseworker_other_center, referral=referral)

    if ending == "complete":
        services.referral_complete(
            actor=personas.caseworker_other_center, referral=referral, outcome="provided"
        )
    else:
        services.referral_cancel(actor=personas.caseworker, referral=referral)
    referral.refresh_from_db()

    assert not _grants(case).exists()
    shared = services.referral_open(actor=personas.caseworker_other_center, referral=referral)
    assert shared.parts == {}
    assert AuditEvent.objects.filter(action="case.access_revoked").count() == 1


def test_revoking_the_consent_erases_the_snapshot_and_tells_the_caseworker(
    personas, case, center_b, center_consent
):
    referral = _send(personas, case, center_b, ["identity"])
    services.referral_accept(actor=personas.caseworker_other_center, referral=referral)

    case_services.consent_revoke(actor=personas.caseworker, consent=center_consent)

    referral.refresh_from_db()
    assert referral.consent_revoked_at is not None and referral.snapshot is None
    assert not _grants(case).exists()
    assert (
        selectors.referral_shared_for_user(
            user=personas.caseworker_other_center, referral=referral
        ).parts
        == {}
    )
    assert Notification.objects.filter(
        recipient=personas.caseworker, kind="referral_consent_revoked"
    ).exists()


def test_accepting_after_the_consent_was_revoked_is_refused(
    personas, case, center_b, center_consent
):
    referral = _send(personas, case, center_b, ["identity"])
    case_services.consent_revoke(actor=personas.caseworker, consent=center_consent)

    with pytest.raises(ValidationError):
        services.referral_accept(actor=personas.caseworker_other_center, referral=referral)
    assert not _grants(case).exists()


def test_full_transfer_moves_ownership(personas, case, center_b, center_consent):
    referral = _send(personas, case, center_b, ["identity"], is_transfer=True)

    referral = services.referral_accept(actor=personas.caseworker_other_center, referral=referral)

    case.refresh_from_db()
    assert case.organisation == personas.other_center
    assert case.assigned_to == personas.caseworker_other_center
    # The sender keeps what it sent, and only that.
    assert selectors.referral_get_for_user(user=personas.caseworker, referral_id=referral.pk)
    assert services.referral_open(actor=personas.caseworker, referral=referral).parts
    with pytest.raises(ValidationError):
        services.referral_cancel(actor=personas.caseworker, referral=referral)


def test_only_one_live_transfer_per_case(personas, case, center_b, center_consent):
    from crisis_ops.organisations.models import Organisation

    third = center_partner(
        Organisation.objects.create(name="Center C", kind="ngo", region=case.organisation.region)
    )
    _send(personas, case, center_b, ["identity"], is_transfer=True)

    with pytest.raises(ValidationError):
        _send(personas, case, third, ["identity"], is_transfer=True)
    assert Referral.objects.count() == 1
