"""Opening a case: the intake (survivor, case, first incident, risk, consents at once) and
the draft that keeps what was typed until then."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone

from cases.models import Case, IntakeDraft, Survivor
from cases.services import (
    consent_grant,
    incident_add,
    perpetrator_add,
    risk_assessment_record,
)
from cases.services_hotline import hotline_call_link
from cases.validation import (
    clean_birth_date_against_iin,
    clean_identity,
    clean_incident_dates,
)
from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.organisations.models import Organisation

_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone


def _code(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(7))


@transaction.atomic
def case_intake_complete(
    *,
    actor: User,
    organisation: Organisation,
    survivor: dict[str, Any],
    case: dict[str, Any],
    incident: dict[str, Any],
    perpetrator: dict[str, Any] | None,
    risk_answers: dict[str, bool] | None,
    consents: list[str],
    risk_override_band: str = "",
    risk_override_reason: str = "",
    hotline_call_id: uuid.UUID | str | None = None,
) -> Case:
    """Create survivor, case, first incident, risk assessment and consents at once.

    ``hotline_call_id``: the anonymous call this case was opened from, linked to it here.

    All or nothing: a survivor never exists without her case, nor a case
    without its first incident.
    """
    identity = clean_identity(
        iin=survivor.get("iin"), phone=survivor.get("phone"), full_name=survivor["full_name"]
    )
    clean_incident_dates(occurred_on=incident["occurred_on"], birth_date=survivor.get("birth_date"))
    clean_birth_date_against_iin(iin=identity["iin"], birth_date=survivor.get("birth_date"))
    # The draft reserved her id, and what was typed is sealed with that id's data key.
    draft = IntakeDraft.objects.filter(author=actor, organisation=organisation).first()
    new_survivor = Survivor(
        **({"id": draft.survivor_id} if draft else {}),
        organisation=organisation,
        code=_code("S"),
        full_name=identity["full_name"],
        iin=identity["iin"],
        phone=identity["phone"],
        birth_date=survivor.get("birth_date"),
        address=survivor.get("address", ""),
        safe_contact=survivor.get("safe_contact", ""),
        age_band=survivor["age_band"],
        sex=survivor.get("sex", "female"),
        region=survivor["region"],
        disability=survivor.get("disability", "none"),
    )
    new_survivor.save()
    new_case = Case.objects.create(
        organisation=organisation,
        survivor=new_survivor,
        reference=_code("C"),
        assigned_to=actor,
        source=case["source"],
        never_disclose_location=case.get("never_disclose_location", False),
        no_contact_by_phone=case.get("no_contact_by_phone", False),
    )
    audit_record(
        action="case.created", actor=actor, obj=new_case, organisation_id=new_case.organisation_id
    )
    incident_add(actor=actor, case=new_case, **incident)
    if perpetrator and perpetrator.get("full_name"):
        perpetrator_add(actor=actor, case=new_case, **perpetrator)
    today = timezone.localdate()
    for scope in consents:
        consent_grant(actor=actor, case=new_case, scope=scope, granted_on=today, expires_on=None)
    if risk_answers is not None:
        risk_assessment_record(
            actor=actor,
            case=new_case,
            answers=risk_answers,
            override_band=risk_override_band,
            override_reason=risk_override_reason,
        )
    if hotline_call_id:
        hotline_call_link(actor=actor, call_id=hotline_call_id, case=new_case)
    IntakeDraft.objects.filter(author=actor, organisation=organisation).delete()
    return new_case


@transaction.atomic
def intake_draft_save(
    *, actor: User, organisation: Organisation, step: int, data: dict[str, Any]
) -> IntakeDraft:
    """Keep what was typed so far. Not audited: it holds nothing the case file will not."""
    draft, _created = IntakeDraft.objects.select_for_update().get_or_create(
        author=actor, organisation=organisation, defaults={"data": {}}
    )
    draft.data = {**draft.data, **data}
    draft.step = step
    draft.save()
    return draft


def intake_draft_discard(*, actor: User, organisation: Organisation) -> None:
    IntakeDraft.objects.filter(author=actor, organisation=organisation).delete()
