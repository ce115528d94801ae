"""Transfer requests: a center asks the case's center for responsibility for a case it
already helps on.

"Already helping" means one thing only: the asking center holds an accepted referral of
that case from the center that still owns it, its consent unrevoked and valid today. The
request is made *on that referral*, never by typing an IIN or a name: a lookup by
identifier would tell the asker whether another center knows a person, which is exactly
what must not leak. On a referral it accepted, the asker learns nothing new.
"""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from crisis_ops.accounts.models import User
from crisis_ops.notifications.services import notify
from crisis_ops.organisations.roles import Role
from referrals import reminders, selectors
from referrals.choices import Delivery, Service, TransferReason
from referrals.models import Partner, Referral
from referrals.services._common import audit, lock, staff
from referrals.services.answers import check_consent_still_valid
from referrals.services.send import new_reference

NOTE_MAX = 2000


def _clean(reason: str, note: str) -> None:
    errors: dict[str, list[str]] = {}
    if reason not in TransferReason.values:
        errors["reason"] = [_("Choose a reason from the list.")]
    if len(note) > NOTE_MAX:
        errors["note"] = [_("Keep the note under %(n)s characters.") % {"n": NOTE_MAX}]
    if errors:
        raise ValidationError(errors)


def _require_helping(actor: User, base: Referral) -> None:
    """The asker is the receiving center of this accepted, consented, live referral."""
    if base.is_request or not selectors.is_receiver(user=actor, referral=base):
        raise PermissionDenied(
            _("Only a center helping her on a referral it accepted can ask for her case.")
        )
    if base.is_transfer:
        raise ValidationError({"referral": [_("This referral already handed the case over.")]})
    if base.status != Referral.Status.ACCEPTED:
        raise ValidationError(
            {"referral": [_("You can ask for a case only while you help her on it.")]}
        )
    if base.consent_revoked_at is not None:
        raise ValidationError({"referral": [_("Her consent was revoked: nothing can be asked.")]})
    check_consent_still_valid(
        base, _("Her consent for this referral is no longer valid; nothing can be asked.")
    )


def _owner_entry(organisation_id: uuid.UUID | None) -> Partner:
    entry = (
        Partner.objects.filter(
            linked_organisation_id=organisation_id,
            organisation__isnull=True,
            kind__is_network_center=True,
        )
        .select_related("kind")
        .order_by("created_at")
        .first()
    )
    if entry is None:
        raise ValidationError(
            {"referral": [_("That center is not in the network's directory; ask its admin.")]}
        )
    return entry


@transaction.atomic
def transfer_request_send(
    *, actor: User, referral: Referral, reason: str, note: str = ""
) -> Referral:
    """Ask the case's center, on an accepted referral, to hand responsibility over.

    The request is a Referral of kind TRANSFER_REQUEST from the asking center to the
    owning one, answered through the same accept/decline as any referral; accepting it
    moves the case exactly as a full transfer does.
    """
    _clean(reason, note)
    base = lock(referral)
    _require_helping(actor, base)
    case = Case.objects.select_for_update().get(pk=base.case_id)
    if case.organisation_id != base.from_organisation_id:
        raise ValidationError(
            {"referral": [_("This case has moved to another center since; nothing was asked.")]}
        )
    owner = _owner_entry(base.from_organisation_id)
    now = timezone.now()
    request = Referral(
        kind=Referral.Kind.TRANSFER_REQUEST,
        based_on=base,
        reference=new_reference(),
        case=case,
        partner=owner,
        from_organisation_id=base.to_organisation_id,
        to_organisation_id=base.from_organisation_id,
        purpose=Service.CASE_MANAGEMENT,
        is_transfer=True,
        parts=[],
        snapshot=None,
        consent=base.consent,
        delivery=Delivery.IN_APP,
        request_reason=reason,
        request_note=note.strip(),
        sent_by=actor,
        sent_at=now,
        answer_due_at=now + datetime.timedelta(hours=owner.kind.answer_hours),
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"referral": [_("A transfer of this case is already under way; nothing was asked.")]}
        ) from exc
    audit("referral.transfer_requested", actor, request, request.from_organisation_id)
    people = {*staff(case.organisation_id, [Role.SUPERVISOR]), case.assigned_to}
    notify(
        recipients=[p for p in people if p is not None and p.is_active],
        kind=reminders.TRANSFER_REQUESTED,
        obj=request,
    )
    reminders.schedule_for(request)
    return request
