"""Kinds and subjects are registered by the apps; the inbox, the API and the e-mails
know only the registries."""

import pytest
from django.urls import reverse
from django.utils import translation

from crisis_ops.notifications import kinds
from crisis_ops.notifications.models import Notification
from crisis_ops.notifications.services import notify
from crisis_ops.notifications.subjects import subject_reference, subjects_for
from crisis_ops.reminders.registry import reminder_kinds
from crisis_ops.reminders.services import Plan, reminders_schedule
from tests.cases.factories import intake
from tests.referrals.factories import consent

pytestmark = pytest.mark.django_db

EVERY_KIND = {
    "high_risk",
    "order_expiring",
    "police_check_due",
    "police_check_overdue",
    "order_expired_no_decision",
    "stay_ending",
    "hold_confirmed",
    "hold_released",
    "hold_expired",
    "referral_received",
    "referral_answered",
    "referral_answer_overdue",
    "referral_answer_escalated",
    "referral_consent_revoked",
    "consent_overridden",
    "consent_expiring",
    "transfer_requested",
    "retention_purge_notice",
    "retention_erasure_requested",
    "case_assigned",
}


def test_the_apps_register_every_kind_and_each_reminder_kind_is_a_notification_kind():
    assert kinds.kind_keys() == EVERY_KIND
    assert reminder_kinds() <= kinds.kind_keys()
    assert "high_risk" not in reminder_kinds()


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_kind_speaks_kazakh_and_russian(language):
    for key in sorted(kinds.kind_keys()):
        kind = kinds.kind_get(key)
        assert kind is not None
        with translation.override("en"):
            english = [str(kind.label), str(kind.email_subject), str(kind.email_body)]
        with translation.override(language):
            local = [str(kind.label), str(kind.email_subject), str(kind.email_body)]
        assert all(a != b for a, b in zip(english, local, strict=True)), (key, local)


def test_notify_refuses_a_kind_no_app_registered(personas):
    case = intake(personas.caseworker, personas.center)
    with pytest.raises(ValueError, match="unregistered notification kind"):
        notify(recipients=[personas.supervisor], kind="made_up", obj=case)
    assert not Notification.objects.exists()


def test_a_reminder_of_a_kind_no_app_registered_is_not_written(personas):
    case = intake(personas.caseworker, personas.center)
    plan = Plan("made_up", case, personas.caseworker, case.created_at.date())
    with pytest.raises(ValueError, match="unregistered reminder kinds"):
        reminders_schedule(plans=[plan])


def test_the_field_validator_names_an_unknown_kind():
    from django.core.exceptions import ValidationError

    kinds.validate_kind("high_risk")
    with pytest.raises(ValidationError):
        kinds.validate_kind("made_up")


def test_a_consent_reminder_opens_its_case_for_her_caseworker_and_nothing_for_others(personas):
    case = intake(personas.caseworker, personas.center)
    given = consent(personas.caseworker, case, "referral_center", ["identity"])
    mine, theirs = (
        Notification.objects.create(
            recipient=user, kind="consent_expiring", object_type="cases.consent", object_id=given.pk
        )
        for user in (personas.caseworker, personas.caseworker_other_center)
    )

    subject = subjects_for(user=personas.caseworker, notifications=[mine])[mine.pk]

    assert subject.url == reverse("cases:case_detail", args=[case.pk])
    assert (subject.case_id, subject.case_reference) == (case.pk, case.reference)
    assert subjects_for(user=personas.caseworker_other_center, notifications=[theirs]) == {}
    assert subject_reference(mine) == case.reference


def test_an_object_type_no_app_registered_resolves_to_nothing(personas):
    case = intake(personas.caseworker, personas.center)
    stray = Notification.objects.create(
        recipient=personas.caseworker, kind="high_risk", object_type="gone.thing", object_id=case.pk
    )
    assert subjects_for(user=personas.caseworker, notifications=[stray]) == {}
    assert subject_reference(stray) == ""
