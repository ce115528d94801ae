"""Writes: the policy, hand-set holds, the daily run and erasure requests.

The purge they end in, and how it survives being killed half-way, is
``crisis_ops.retention.purge``.
"""

from __future__ import annotations

import datetime
import logging
import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.notifications.models import Notification
from crisis_ops.notifications.services import notify
from crisis_ops.organisations.models import Membership, Organisation
from crisis_ops.organisations.roles import Role
from crisis_ops.retention import notifications, registry, selectors
from crisis_ops.retention.models import (
    MAX_YEARS,
    MIN_YEARS,
    NOTICE_DAYS,
    ErasureRequest,
    LegalHold,
    PurgeJob,
    PurgeNotice,
    PurgeSchedule,
    RetentionPolicy,
    RetentionRule,
)
from crisis_ops.retention.purge import purge_resume, purge_survivors

logger = logging.getLogger(__name__)


def _org_admins(organisation_id: uuid.UUID) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organisation_id=organisation_id,
            memberships__role=Role.ORG_ADMIN,
            memberships__is_active=True,
            is_active=True,
        ).distinct()
    )


def _holds_role(user: User, organisation_id: uuid.UUID, role: Role) -> bool:
    return Membership.objects.filter(
        user=user, organisation_id=organisation_id, role=role, is_active=True
    ).exists()


# --- policy -----------------------------------------------------------------------------------


def _check_years(value: object, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not MIN_YEARS <= value <= MAX_YEARS:
        raise ValidationError(
            {
                field: _("Enter a whole number of years from %(min)s to %(max)s.")
                % {"min": MIN_YEARS, "max": MAX_YEARS}
            }
        )
    return value


@transaction.atomic
def policy_save(
    *,
    actor: User,
    organisation: Organisation,
    years: int,
    rules: dict[str, int | None] | None = None,
) -> RetentionPolicy:
    """Set how many years closed cases are kept, and per kind of case (None: the default)."""
    if not _holds_role(actor, organisation.pk, Role.ORG_ADMIN):
        raise ValidationError(_("Only an organisation admin sets its retention policy."))
    _check_years(years, "years")
    known = {kind.key for kind in registry.case_kinds()}
    rules = rules or {}
    unknown = sorted(set(rules) - known)
    if unknown:
        raise ValidationError(
            {"rules": _("Unknown kind of case: %(kinds)s.") % {"kinds": ", ".join(unknown)}}
        )
    for kind, value in rules.items():
        if value is not None:
            _check_years(value, f"rule_{kind}")
    policy, _created = RetentionPolicy.objects.select_for_update().get_or_create(
        organisation=organisation, defaults={"years": years, "updated_by": actor}
    )
    policy.years, policy.updated_by = years, actor
    policy.save()
    for kind, value in rules.items():
        if value is None:
            RetentionRule.objects.filter(policy=policy, kind=kind).delete()
        else:
            RetentionRule.objects.update_or_create(
                policy=policy, kind=kind, defaults={"years": value}
            )
    audit_record(
        action="retention.policy_saved", actor=actor, obj=policy, organisation_id=organisation.pk
    )
    return policy


# --- hand-set legal holds -----------------------------------------------------------------------


@transaction.atomic
def legal_hold_set(
    *, actor: User, organisation: Organisation, case_reference: str, reason: str
) -> LegalHold:
    if not _holds_role(actor, organisation.pk, Role.ORG_ADMIN):
        raise ValidationError(_("Only an organisation admin sets a legal hold."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the case must be kept.")})
    facts = selectors.case_find(organisation_ids=[organisation.pk], reference=case_reference)
    if facts is None:
        raise ValidationError(
            {
                "case_reference": _("No case of %(name)s has this reference.")
                % {"name": organisation.name}
            }
        )
    hold = LegalHold.objects.create(
        organisation=organisation,
        case_id=facts.case_id,
        case_reference=facts.reference,
        reason=reason,
        set_by=actor,
    )
    # A survivor on the schedule is held now: she is announced again once released.
    PurgeSchedule.objects.filter(survivor_id=facts.survivor_id).delete()
    audit_record(
        action="retention.hold_set", actor=actor, obj=hold, organisation_id=organisation.pk
    )
    return hold


@transaction.atomic
def legal_hold_release(*, actor: User, hold: LegalHold) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if not _holds_role(actor, hold.organisation_id, Role.ORG_ADMIN):
        raise ValidationError(_("Only an organisation admin releases a legal hold."))
    if hold.released_at is None:
        hold.released_at, hold.released_by = timezone.now(), actor
        hold.save(update_fields=["released_at", "released_by", "updated_at"])
        audit_record(
            action="retention.hold_released",
            actor=actor,
            obj=hold,
            organisation_id=hold.organisation_id,
        )
    return hold


# --- the daily run ------------------------------------------------------------------------------


def _notify_admins(organisation_id: uuid.UUID, notice: PurgeNotice) -> None:
    admins = _org_admins(organisation_id)
    if admins:
        notify(recipients=admins, kind=notifications.PURGE_NOTICE, obj=notice)


def retention_schedule(*, organisation: Organisation, today: datetime.date) -> PurgeNotice | None:
    """Put every survivor due within the notice period on the schedule (purged no earlier
    than 30 days after her organisation was told), take off those no longer due, and tell
    the org admins about the new ones, with counts only."""
    horizon = today + datetime.timedelta(days=NOTICE_DAYS)
    due = {d.survivor_id: d for d in selectors.survivors_due(organisation=organisation, on=horizon)}
    ready = {survivor_id: d for survivor_id, d in due.items() if not d.is_held}
    with transaction.atomic():
        scheduled = PurgeSchedule.objects.select_for_update().filter(organisation=organisation)
        known = set(scheduled.values_list("survivor_id", flat=True))
        scheduled.exclude(survivor_id__in=list(ready)).delete()
        # Due within the horizon, so each has a day (survivors_due leaves out open cases).
        new = [
            (d, d.due_on)
            for survivor_id, d in ready.items()
            if survivor_id not in known and d.due_on is not None
        ]
        if not new:
            return None
        purge_on = today + datetime.timedelta(days=NOTICE_DAYS)
        PurgeSchedule.objects.bulk_create(
            [
                PurgeSchedule(
                    organisation=organisation,
                    survivor_id=d.survivor_id,
                    due_on=due_on,
                    notified_on=today,
                    purge_on=purge_on,
                )
                for d, due_on in new
            ]
        )
        notice, _created = PurgeNotice.objects.get_or_create(
            organisation=organisation,
            purge_on=purge_on,
            defaults={"survivors": 0, "cases": 0},
        )
        notice.survivors += len(new)
        notice.cases += sum(len(d.cases) for d, _due_on in new)
        notice.save(update_fields=["survivors", "cases", "updated_at"])
        audit_record(
            action="retention.purge_announced", obj=notice, organisation_id=organisation.pk
        )
        _notify_admins(organisation.pk, notice)
    return notice


def retention_purge_due(*, organisation: Organisation, today: datetime.date) -> list[PurgeJob]:
    """Purge the scheduled survivors whose day has come and who are still due today."""
    waiting = list(
        PurgeSchedule.objects.filter(organisation=organisation, purge_on__lte=today).values_list(
            "survivor_id", flat=True
        )
    )
    if not waiting:
        return []
    still_due = sorted(
        d.survivor_id
        for d in selectors.survivors_due(organisation=organisation, on=today, survivor_ids=waiting)
        if d.is_due(today)
    )
    policy = selectors.policy_for(organisation=organisation)
    return purge_survivors(
        organisation_id=organisation.pk,
        survivor_ids=still_due,
        kind=PurgeJob.Kind.RETENTION,
        policy_id=None if policy._state.adding else policy.pk,
    )


def retention_daily(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily beat task's work: finish interrupted purges, announce, purge what is due."""
    today = today or timezone.localdate()
    resumed = purge_resume()
    announced = purged = 0
    for organisation in Organisation.objects.filter(is_active=True).order_by("pk"):
        notice = retention_schedule(organisation=organisation, today=today)
        announced += notice.survivors if notice is not None else 0
        purged += len(retention_purge_due(organisation=organisation, today=today))
    return {"resumed": len(resumed), "announced": announced, "purged": purged}


# --- erasure on request --------------------------------------------------------------------------


@transaction.atomic
def erasure_request(*, actor: User, case_reference: str) -> ErasureRequest:
    """A supervisor asks, at the survivor's request, for her whole file to be erased."""
    supervised = list(
        Membership.objects.filter(user=actor, role=Role.SUPERVISOR, is_active=True).values_list(
            "organisation_id", flat=True
        )
    )
    if not supervised:
        raise ValidationError(_("Only a supervisor asks for an erasure."))
    facts = selectors.case_find(
        organisation_ids=supervised, reference=(case_reference or "").strip()
    )
    if facts is None:
        raise ValidationError({"case_reference": _("No case of your center has this reference.")})
    try:
        with transaction.atomic():
            erasure = ErasureRequest.objects.create(
                organisation_id=facts.organisation_id,
                survivor_id=facts.survivor_id,
                case_reference=facts.reference,
                requested_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"case_reference": _("An erasure of this survivor's file is already waiting.")}
        ) from exc
    audit_record(
        action="retention.erasure_requested",
        actor=actor,
        obj=erasure,
        organisation_id=facts.organisation_id,
    )
    admins = [u for u in _org_admins(facts.organisation_id) if u.pk != actor.pk]
    if admins:
        notify(recipients=admins, kind=notifications.ERASURE_REQUESTED, obj=erasure)
    return erasure


def erasure_holds(*, erasure: ErasureRequest) -> dict[str, list[str]]:
    """Case reference -> why it is held, for every case of hers a hold blocks."""
    cases = list(
        registry.case_source().cases(
            organisation_ids=[erasure.organisation_id], survivor_ids=[erasure.survivor_id]
        )
    )
    held = selectors.case_holds(case_ids=[c.case_id for c in cases])
    return {c.reference: held[c.case_id] for c in cases if held.get(c.case_id)}


def erasure_confirm(*, actor: User, erasure: ErasureRequest) -> ErasureRequest:
    """An org admin who did not ask confirms; her file is erased at once, by the purge."""
    with transaction.atomic():
        erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
        if not _holds_role(actor, erasure.organisation_id, Role.ORG_ADMIN):
            raise ValidationError(_("Only an organisation admin confirms an erasure."))
        if actor.pk == erasure.requested_by_id:
            raise ValidationError(
                _("Another person must confirm: whoever asked for an erasure cannot confirm it.")
            )
        if erasure.status != ErasureRequest.Status.REQUESTED:
            raise ValidationError(_("This erasure request is no longer waiting."))
        holds = erasure_holds(erasure=erasure)
        if holds:
            reasons = "; ".join(f"{ref}: {', '.join(texts)}" for ref, texts in holds.items())
            raise ValidationError(
                _("A legal hold blocks this erasure — %(reasons)s.") % {"reasons": reasons}
            )
        erasure.status, erasure.decided_by = ErasureRequest.Status.CONFIRMED, actor
        erasure.decided_at = timezone.now()
        erasure.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        audit_record(
            action="retention.erasure_confirmed",
            actor=actor,
            obj=erasure,
            organisation_id=erasure.organisation_id,
        )
    return erasure_run(erasure=erasure)


def erasure_run(*, erasure: ErasureRequest) -> ErasureRequest:
    """The purge of a confirmed request (again, if it was interrupted)."""
    purge_survivors(
        organisation_id=erasure.organisation_id,
        survivor_ids=[erasure.survivor_id],
        kind=PurgeJob.Kind.ERASURE,
        erasure=erasure,
    )
    with transaction.atomic():
        erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
        if erasure.status == ErasureRequest.Status.CONFIRMED:
            erasure.status, erasure.case_reference = ErasureRequest.Status.DONE, ""
            erasure.save(update_fields=["status", "case_reference", "updated_at"])
            Notification.objects.filter(
                object_type="retention.erasurerequest", object_id=erasure.pk
            ).delete()
    return erasure


@transaction.atomic
def erasure_cancel(*, actor: User, erasure: ErasureRequest) -> ErasureRequest:
    erasure = ErasureRequest.objects.select_for_update().get(pk=erasure.pk)
    may = actor.pk == erasure.requested_by_id or _holds_role(
        actor, erasure.organisation_id, Role.ORG_ADMIN
    )
    if not may:
        raise ValidationError(_("Only whoever asked, or an organisation admin, cancels it."))
    if erasure.status != ErasureRequest.Status.REQUESTED:
        raise ValidationError(_("This erasure request is no longer waiting."))
    erasure.status, erasure.decided_by = ErasureRequest.Status.CANCELLED, actor
    erasure.decided_at, erasure.case_reference = timezone.now(), ""
    erasure.save(
        update_fields=["status", "decided_by", "decided_at", "case_reference", "updated_at"]
    )
    audit_record(
        action="retention.erasure_cancelled",
        actor=actor,
        obj=erasure,
        organisation_id=erasure.organisation_id,
    )
    return erasure
