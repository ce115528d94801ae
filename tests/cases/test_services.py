import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import services
from cases.models import Case, Survivor
from crisis_ops.audit.models import AuditEvent
from crisis_ops.notifications.models import Notification
from tests.cases.factories import intake

pytestmark = pytest.mark.django_db


def test_intake_creates_the_whole_case_file(personas):
    case = intake(personas.caseworker, personas.center)

    assert case.status == "open"
    assert case.assigned_to == personas.caseworker
    assert case.survivor.full_name.startswith("Айгерим")
    assert case.incidents.count() == 1
    assert case.perpetrators.count() == 1
    assert set(case.consents.values_list("scope", flat=True)) == {"services", "statistics"}
    assert case.risk_band == "standard"
    assert case.survivor.code.startswith("S-")
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "case.created",
        "incident.created",
        "consent.granted",
        "risk_assessment.created",
    } <= actions


def test_a_wrong_iin_check_digit_saves_nothing(personas):
    with pytest.raises(ValidationError) as excinfo:
        intake(personas.caseworker, personas.center, survivor={"iin": "900101400011"})

    assert "iin" in excinfo.value.message_dict
    assert not Survivor.objects.exists()
    assert not Case.objects.exists()


def test_an_incident_in_the_future_saves_nothing(personas):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as excinfo:
        intake(personas.caseworker, personas.center, incident={"occurred_on": tomorrow})

    assert "future" in excinfo.value.message_dict["occurred_on"][0]
    assert not Case.objects.exists()


def test_a_birth_date_after_the_incident_is_refused(personas):
    with pytest.raises(ValidationError) as excinfo:
        intake(
            personas.caseworker,
            personas.center,
            survivor={"birth_date": datetime.date(2020, 1, 1)},
            incident={"occurred_on": datetime.date(2019, 5, 1)},
        )

    assert "birth date" in excinfo.value.message_dict["occurred_on"][0]
    assert not Survivor.objects.exists()


def test_an_expired_consent_cannot_be_recorded_as_current(personas):
    case = intake(personas.caseworker, personas.center)
    before = case.consents.count()

    with pytest.raises(ValidationError) as excinfo:
        services.consent_grant(
            actor=personas.caseworker,
            case=case,
            scope="police",
            granted_on=timezone.localdate() - datetime.timedelta(days=40),
            expires_on=timezone.localdate() - datetime.timedelta(days=1),
        )

    assert "expired" in excinfo.value.message_dict["expires_on"][0]
    assert case.consents.count() == before


def test_high_risk_notifies_the_supervisor_once(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = intake(
            personas.caseworker, personas.center, risk_answers={str(q): True for q in range(1, 25)}
        )

    assert case.risk_band == "high"
    notes = Notification.objects.filter(kind="high_risk")
    assert [n.recipient for n in notes] == [personas.supervisor]
    assert len(mail.outbox) == 1
    assert "Айгерим" not in mail.outbox[0].body

    services.risk_assessment_record(
        actor=personas.caseworker, case=case, answers={str(q): True for q in range(1, 25)}
    )
    assert Notification.objects.filter(kind="high_risk").count() == 1


@pytest.mark.parametrize(
    "score, band", [(9, "standard"), (10, "medium"), (13, "medium"), (14, "high")]
)
def test_bands_follow_the_thresholds(personas, score, band):
    case = intake(personas.caseworker, personas.center)

    assessment = services.risk_assessment_record(
        actor=personas.caseworker, case=case, answers={str(q): q <= score for q in range(1, 25)}
    )

    assert (assessment.score, assessment.band) == (score, band)


def test_an_override_needs_a_reason(personas):
    case = intake(personas.caseworker, personas.center)

    with pytest.raises(ValidationError):
        services.risk_assessment_record(
            actor=personas.caseworker, case=case, answers={"1": True}, override_band="high"
        )
    assessment = services.risk_assessment_record(
        actor=personas.caseworker,
        case=case,
        answers={"1": True},
        override_band="high",
        override_reason="Он вооружён.",
    )
    case.refresh_from_db()
    assert (assessment.band, assessment.final_band, case.risk_band) == ("standard", "high", "high")


def test_status_workflow(personas):
    case = intake(personas.caseworker, personas.center)
    actor = personas.caseworker

    case = services.case_change_status(actor=actor, case=case, status="active")
    with pytest.raises(ValidationError):
        services.case_change_status(actor=actor, case=case, status="closed")
    case = services.case_change_status(
        actor=actor, case=case, status="closed", closed_reason="resolved"
    )
    with pytest.raises(ValidationError):
        services.case_change_status(actor=actor, case=case, status="open")
    case = services.case_change_status(actor=actor, case=case, status="active")

    assert (case.status, case.closed_reason, case.closed_at) == ("active", "", None)
    assert AuditEvent.objects.filter(action="case.reopened").count() == 1
