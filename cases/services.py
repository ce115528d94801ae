"""Writes to the case file. Each service validates, writes, and audits in one transaction.

Opening a case (the intake and its draft) is ``cases.services_intake``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from cases.models import (
    Case,
    Child,
    Consent,
    Incident,
    Note,
    Perpetrator,
    RiskAssessment,
    RiskInstrument,
    ServiceGiven,
)
from cases.models.choices import Relationship, RiskBand
from cases.notifications import CASE_ASSIGNED, HIGH_RISK
from cases.selectors import risk_instrument_current
from cases.validation import (
    clean_consent,
    clean_incident_categories,
    clean_incident_dates,
)
from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.notifications.services import notify
from crisis_ops.organisations.models import Membership
from crisis_ops.organisations.roles import Role

# Allowed status moves; closing needs a reason, reopening goes back to active.
_TRANSITIONS = {
    Case.Status.OPEN: {Case.Status.ACTIVE, Case.Status.CLOSED},
    Case.Status.ACTIVE: {Case.Status.CLOSED},
    Case.Status.CLOSED: {Case.Status.ACTIVE},
}


def _audit(action: str, actor: User, obj: Any, case: Case) -> None:
    audit_record(action=action, actor=actor, obj=obj, organisation_id=case.organisation_id)


# --- the case file ---------------------------------------------------------------------------


@transaction.atomic
def incident_add(
    *,
    actor: User,
    case: Case,
    occurred_on: datetime.date,
    violence_types: Iterable[str],
    gbvims_class: str,
    relationship: str,
    children_present: bool = False,
    injuries: bool = False,
    reported_to_police: bool = False,
    forensic_exam_needed: bool = False,
    forensic_exam_done: bool = False,
    narrative: str = "",
) -> Incident:
    clean_incident_dates(occurred_on=occurred_on, birth_date=case.survivor.birth_date)
    types = clean_incident_categories(
        violence_types=violence_types, gbvims_class=gbvims_class, relationship=relationship
    )
    incident = Incident.objects.create(
        case=case,
        occurred_on=occurred_on,
        violence_types=types,
        gbvims_class=gbvims_class,
        relationship=relationship,
        children_present=children_present,
        injuries=injuries,
        reported_to_police=reported_to_police,
        forensic_exam_needed=forensic_exam_needed or forensic_exam_done,
        forensic_exam_done=forensic_exam_done,
        narrative=narrative,
    )
    _audit("incident.created", actor, incident, case)
    return incident


@transaction.atomic
def perpetrator_add(
    *, actor: User, case: Case, full_name: str, relationship: str, details: str = ""
) -> Perpetrator:
    if relationship not in Relationship.values:
        raise ValidationError({"relationship": [_("Choose one of the offered relationships.")]})
    perpetrator = Perpetrator.objects.create(
        case=case, full_name=" ".join(full_name.split()), relationship=relationship, details=details
    )
    _audit("perpetrator.created", actor, perpetrator, case)
    return perpetrator


@transaction.atomic
def child_add(*, actor: User, case: Case, first_name: str, birth_year: int | None = None) -> Child:
    this_year = timezone.localdate().year
    if birth_year is not None and not this_year - 18 <= birth_year <= this_year:
        raise ValidationError(
            {"birth_year": [_("A child's birth year is within the last 18 years.")]}
        )
    child = Child.objects.create(case=case, first_name=first_name.strip(), birth_year=birth_year)
    _audit("child.created", actor, child, case)
    return child


@transaction.atomic
def note_add(*, actor: User, case: Case, text: str) -> Note:
    if not text.strip():
        raise ValidationError({"text": [_("Write something before saving the note.")]})
    note = Note.objects.create(case=case, author=actor, text=text.strip())
    _audit("note.created", actor, note, case)
    return note


@transaction.atomic
def service_record(
    *, actor: User, case: Case, kind: str, given_on: datetime.date, details: str = ""
) -> ServiceGiven:
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": [_("A service cannot be given in the future.")]})
    service = ServiceGiven.objects.create(
        case=case, kind=kind, given_on=given_on, given_by=actor, details=details
    )
    _audit("service.created", actor, service, case)
    return service


@transaction.atomic
def consent_grant(
    *,
    actor: User,
    case: Case,
    scope: str,
    granted_on: datetime.date,
    expires_on: datetime.date | None,
    parts: Iterable[str] = (),
) -> Consent:
    covered = clean_consent(scope=scope, granted_on=granted_on, expires_on=expires_on, parts=parts)
    consent = Consent.objects.create(
        case=case,
        scope=scope,
        granted_on=granted_on,
        expires_on=expires_on,
        parts=covered,
        recorded_by=actor,
    )
    _audit("consent.granted", actor, consent, case)
    return consent


# Apps that relied on a consent (referrals) act on its revocation in the same transaction.
_ON_CONSENT_REVOKED: list[Callable[[User, Consent], None]] = []


def register_consent_revoked(callback: Callable[[User, Consent], None]) -> None:
    if callback not in _ON_CONSENT_REVOKED:
        _ON_CONSENT_REVOKED.append(callback)


@transaction.atomic
def consent_revoke(*, actor: User, consent: Consent) -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        consent.save(update_fields=["revoked_at", "updated_at"])
        _audit("consent.revoked", actor, consent, consent.case)
        for callback in _ON_CONSENT_REVOKED:
            callback(actor, consent)
    return consent


@transaction.atomic
def risk_assessment_record(
    *,
    actor: User,
    case: Case,
    answers: dict[str, bool],
    instrument: RiskInstrument | None = None,
    override_band: str = "",
    override_reason: str = "",
) -> RiskAssessment:
    instrument = instrument or risk_instrument_current()
    weights = {str(q.number): q.weight for q in instrument.questions.all()}
    unknown = set(answers) - set(weights)
    if unknown:
        raise ValidationError(
            {"answers": [_("Some answers are for questions this checklist does not have.")]}
        )
    if override_band and override_band not in RiskBand.values:
        raise ValidationError({"override_band": [_("Choose one of the offered bands.")]})
    if override_band and not override_reason.strip():
        raise ValidationError(
            {"override_reason": [_("Say why you set a band different from the score.")]}
        )
    score = sum(weights[number] for number, yes in answers.items() if yes)
    assessment = RiskAssessment.objects.create(
        case=case,
        instrument=instrument,
        assessed_by=actor,
        score=score,
        band=instrument.band_for(score),
        override_band=override_band,
        override_reason=override_reason.strip(),
        answers={number: bool(yes) for number, yes in answers.items()},
    )
    case.risk_band = assessment.final_band
    case.save(update_fields=["risk_band", "updated_at"])
    _audit("risk_assessment.created", actor, assessment, case)
    if assessment.final_band == RiskBand.HIGH:
        supervisors = User.objects.filter(
            memberships__organisation_id=case.organisation_id,
            memberships__role=Role.SUPERVISOR,
            memberships__is_active=True,
            is_active=True,
        )
        notify(recipients=supervisors, kind=HIGH_RISK, obj=case)
    return assessment


@transaction.atomic
def case_change_status(*, actor: User, case: Case, status: str, closed_reason: str = "") -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if status not in _TRANSITIONS[Case.Status(case.status)]:
        message = _("A %(old)s case cannot become %(new)s.") % {
            "old": str(case.get_status_display()).lower(),
            "new": str(dict(Case.Status.choices).get(status, status)).lower(),
        }
        raise ValidationError({"status": [message]})
    if status == Case.Status.CLOSED and closed_reason not in Case.ClosedReason.values:
        raise ValidationError({"closed_reason": [_("Say why the case is closed.")]})
    action = "case.reopened" if case.status == Case.Status.CLOSED else f"case.{status}"
    case.status = status
    case.closed_reason = closed_reason if status == Case.Status.CLOSED else ""
    case.closed_at = timezone.now() if status == Case.Status.CLOSED else None
    case.save(update_fields=["status", "closed_reason", "closed_at", "updated_at"])
    _audit(action, actor, case, case)
    return case


@transaction.atomic
def case_assign(*, actor: User, case: Case, assignee: User) -> Case:
    if not Membership.objects.filter(
        user=assignee, organisation_id=case.organisation_id, role=Role.CASEWORKER, is_active=True
    ).exists():
        raise ValidationError({"assigned_to": [_("Choose a caseworker of this center.")]})
    previous = case.assigned_to_id
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to", "updated_at"])
    _audit("case.assigned", actor, case, case)
    if assignee.pk != previous and assignee.pk != actor.pk:
        # Reference only: the inbox row and the e-mail name the case, never her.
        notify(recipients=[assignee], kind=CASE_ASSIGNED, obj=case)
    return case


@transaction.atomic
def case_court_pending_set(*, actor: User, case: Case, pending: bool) -> Case:
    """Mark a court case about her pending (or no longer): a legal hold on purging the file."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.court_case_pending != pending:
        case.court_case_pending = pending
        case.save(update_fields=["court_case_pending", "updated_at"])
        _audit("case.court_pending" if pending else "case.court_ended", actor, case, case)
    return case


@transaction.atomic
def case_restrict(*, actor: User, case: Case, users: Iterable[User]) -> Case:
    """Make the case visible only to the named users (and the actor)."""
    named = {*users, actor}
    for user in named:
        assign_perm("cases.view_case", user, case)
        assign_perm("cases.change_case", user, case)
    case.is_restricted = True
    case.save(update_fields=["is_restricted", "updated_at"])
    _audit("case.restricted", actor, case, case)
    return case


def case_record_read(*, actor: User, case: Case) -> None:
    """Every read of a case file is audited, page and API alike."""
    _audit("case.viewed", actor, case, case)
