"""Anonymous hotline calls: record one, and turn one into a full case when she comes in.

A call holds categories only (cases/models/hotline.py): nothing here takes or writes a
name, an IIN, a phone number or free text, and the audit row names the call by its id.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, HotlineCall, IntakeDraft
from cases.models.choices import AgeBand, Disability, Sex
from cases.models.hotline import HOTLINE_SOURCES
from cases.validation import clean_incident_categories
from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.organisations.models import Organisation, Region

# The draft key an intake opened from a call carries, so finishing it links the two.
DRAFT_CALL_KEY = "hotline_call"


def _clean_choice(field: str, value: str, allowed: Iterable[str]) -> None:
    if value not in set(allowed):
        raise ValidationError({field: [_("Choose one of the offered answers.")]})


@transaction.atomic
def hotline_call_record(
    *,
    actor: User,
    organisation: Organisation,
    source: str,
    received_on: datetime.date,
    region: Region,
    age_band: str,
    sex: str,
    disability: str,
    violence_types: Iterable[str],
    gbvims_class: str,
    relationship: str,
    statistics_consent: bool,
) -> HotlineCall:
    _clean_choice("source", source, (s.value for s in HOTLINE_SOURCES))
    _clean_choice("age_band", age_band, AgeBand.values)
    _clean_choice("sex", sex, Sex.values)
    _clean_choice("disability", disability, Disability.values)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": [_("A call cannot be in the future.")]})
    types = clean_incident_categories(
        violence_types=violence_types, gbvims_class=gbvims_class, relationship=relationship
    )
    call = HotlineCall.objects.create(
        organisation=organisation,
        taken_by=actor,
        source=source,
        received_on=received_on,
        region=region,
        age_band=age_band,
        sex=sex,
        disability=disability,
        violence_types=types,
        gbvims_class=gbvims_class,
        relationship=relationship,
        statistics_consent=statistics_consent,
    )
    audit_record(
        action="hotline_call.recorded", actor=actor, obj=call, organisation_id=organisation.pk
    )
    return call


@transaction.atomic
def hotline_call_start_intake(*, actor: User, call: HotlineCall) -> IntakeDraft:
    """She came in: an intake of the call's center, with what the call already says.

    Her unfinished intake there (if any) is replaced: the page asks before this runs.
    """
    call = HotlineCall.objects.select_for_update().get(pk=call.pk)
    if call.case_id is not None:
        raise ValidationError(_("This call is already linked to a case."))
    data: dict[str, Any] = {
        DRAFT_CALL_KEY: str(call.pk),
        "step1": {
            "age_band": call.age_band,
            "sex": call.sex,
            "region": str(call.region_id),
            "disability": call.disability,
        },
        "step2": {
            "violence_types": list(call.violence_types),
            "gbvims_class": call.gbvims_class,
            "relationship": call.relationship,
        },
        "step4": {"source": call.source},
    }
    IntakeDraft.objects.filter(author=actor, organisation_id=call.organisation_id).delete()
    return IntakeDraft.objects.create(
        author=actor, organisation_id=call.organisation_id, step=1, data=data
    )


def hotline_call_link(*, actor: User, call_id: uuid.UUID | str, case: Case) -> HotlineCall | None:
    """Link a call to the case opened from it, in the intake's transaction; counted once.

    A call of another center, or one already linked, is left as it is (None).
    """
    call = (
        HotlineCall.objects.select_for_update()
        .filter(pk=call_id, organisation_id=case.organisation_id, case__isnull=True)
        .first()
    )
    if call is None:
        return None
    call.case = case
    call.converted_at = timezone.now()
    call.save(update_fields=["case", "converted_at", "updated_at"])
    audit_record(
        action="hotline_call.converted",
        actor=actor,
        obj=call,
        organisation_id=case.organisation_id,
    )
    return call


@transaction.atomic
def hotline_call_link_existing(*, actor: User, call: HotlineCall, case: Case) -> HotlineCall:
    """Link a call to a case opened some other way (the API, or before the call was found)."""
    if call.organisation_id != case.organisation_id:
        raise ValidationError({"case": [_("The call and the case belong to different centers.")]})
    if HotlineCall.objects.filter(case=case).exists():
        raise ValidationError({"case": [_("This case is already linked to a call.")]})
    linked = hotline_call_link(actor=actor, call_id=call.pk, case=case)
    if linked is None:
        raise ValidationError(_("This call is already linked to a case."))
    return linked
