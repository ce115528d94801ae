"""Reads: an organisation's policy, what is due and when, what is held and why.

Every read is scoped to the organisations the user administers (or, for erasure
requests, supervises); anyone else gets 404 or an empty list.
"""

from __future__ import annotations

import calendar
import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Organisation
from crisis_ops.organisations.roles import Role
from crisis_ops.organisations.selectors import organisations_for_user
from crisis_ops.retention import registry
from crisis_ops.retention.models import (
    DEFAULT_YEARS,
    NOTICE_DAYS,
    ErasureRequest,
    LegalHold,
    PurgeJob,
    PurgeNotice,
    PurgeSchedule,
    RetentionPolicy,
)
from crisis_ops.retention.registry import CaseFacts

MANUAL_HOLD = "manual"


def _add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


# --- policy ---------------------------------------------------------------------------------


def administered_organisations(*, user: User) -> QuerySet[Organisation]:
    return organisations_for_user(user=user, role=Role.ORG_ADMIN)


def organisation_get_for_admin(*, user: User, organisation_id: uuid.UUID | str) -> Organisation:
    try:
        return administered_organisations(user=user).get(pk=organisation_id)
    except (Organisation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def policy_for(*, organisation: Organisation) -> RetentionPolicy:
    """Her organisation's policy; an unsaved default (5 years, no rules) if none was set."""
    policy = (
        RetentionPolicy.objects.filter(organisation=organisation).prefetch_related("rules").first()
    )
    return policy or RetentionPolicy(organisation=organisation, years=DEFAULT_YEARS)


def policy_rules(*, policy: RetentionPolicy) -> dict[str, int]:
    """Kind key -> years, for every registered kind of case (None: the default applies)."""
    if policy._state.adding:
        return {}
    return {rule.kind: rule.years for rule in policy.rules.all()}


# --- what is due ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseDue:
    facts: CaseFacts
    years: int
    kinds: tuple[str, ...]
    due_on: datetime.date | None  # None while the case is open


@dataclass
class SurvivorDue:
    survivor_id: uuid.UUID
    organisation_id: uuid.UUID
    cases: list[CaseDue] = field(default_factory=list)
    # case reference -> why it is held
    holds: dict[str, list[str]] = field(default_factory=dict)

    @property
    def due_on(self) -> datetime.date | None:
        """The day her last case is due; None while any case is open."""
        days = [case.due_on for case in self.cases]
        if not days or any(day is None for day in days):
            return None
        return max(day for day in days if day is not None)

    @property
    def is_held(self) -> bool:
        return bool(self.holds)

    def is_due(self, on: datetime.date) -> bool:
        due = self.due_on
        return due is not None and due <= on and not self.holds


def case_holds(*, case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Case id -> every reason it is held: the registered holds and the hand-set ones."""
    reasons: dict[uuid.UUID, list[str]] = defaultdict(list)
    if not case_ids:
        return reasons
    for hold in registry.holds():
        for case_id, texts in hold.held(case_ids).items():
            reasons[case_id] += texts
    # Whole rows: an encrypted value decrypts only with its row's id.
    for legal_hold in LegalHold.objects.filter(case_id__in=case_ids, released_at__isnull=True):
        reasons[legal_hold.case_id].append(str(legal_hold.reason))
    return reasons


def _kinds(case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    found: dict[uuid.UUID, list[str]] = defaultdict(list)
    if not case_ids:
        return found
    for kind in registry.case_kinds():
        for case_id in kind.cases(case_ids):
            found[case_id].append(kind.key)
    return found


def survivors_due(
    *,
    organisation: Organisation,
    on: datetime.date,
    survivor_ids: Iterable[uuid.UUID] | None = None,
    with_holds: bool = True,
) -> list[SurvivorDue]:
    """Every survivor of the organisation whose every case is closed and due by ``on``
    under its policy, with what holds her. Survivors with an open case are left out."""
    policy = policy_for(organisation=organisation)
    rules = policy_rules(policy=policy)
    source = registry.case_source()
    by_survivor: dict[uuid.UUID, list[CaseFacts]] = defaultdict(list)
    for facts in source.cases(
        organisation_ids=[organisation.pk],
        survivor_ids=list(survivor_ids) if survivor_ids is not None else None,
    ):
        by_survivor[facts.survivor_id].append(facts)
    closed = {
        survivor: cases
        for survivor, cases in by_survivor.items()
        if all(c.is_closed and c.closed_at is not None for c in cases)
    }
    candidate_cases = [c.case_id for cases in closed.values() for c in cases]
    kinds = _kinds(candidate_cases) if rules else {}
    found = []
    for survivor_id, cases in closed.items():
        due = SurvivorDue(survivor_id=survivor_id, organisation_id=organisation.pk)
        for facts in cases:
            case_kinds = tuple(kinds.get(facts.case_id, ()))
            matching = [rules[k] for k in case_kinds if k in rules]
            years = max(matching) if matching else policy.years
            assert facts.closed_at is not None
            closed_on = timezone.localdate(facts.closed_at)
            due.cases.append(CaseDue(facts, years, case_kinds, _add_years(closed_on, years)))
        if due.due_on is not None and due.due_on <= on:
            found.append(due)
    if with_holds and found:
        held = case_holds(case_ids=[case.facts.case_id for due in found for case in due.cases])
        for due in found:
            for case in due.cases:
                if held.get(case.facts.case_id):
                    due.holds[case.facts.reference] = held[case.facts.case_id]
    return found


def holds_for_admin(*, user: User) -> list[tuple[Organisation, list[SurvivorDue]]]:
    """For each organisation she administers, the survivors due within the notice period
    whose purge a hold blocks, with why."""
    horizon = timezone.localdate() + datetime.timedelta(days=NOTICE_DAYS)
    return [
        (organisation, [d for d in survivors_due(organisation=organisation, on=horizon) if d.holds])
        for organisation in administered_organisations(user=user)
    ]


def manual_holds_for_admin(*, user: User) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(
        organisation__in=administered_organisations(user=user), released_at__isnull=True
    ).select_related("set_by")


def manual_hold_get_for_admin(*, user: User, hold_id: uuid.UUID | str) -> LegalHold:
    try:
        return manual_holds_for_admin(user=user).get(pk=hold_id)
    except (LegalHold.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def schedule_for_admin(*, user: User) -> QuerySet[PurgeSchedule]:
    return PurgeSchedule.objects.filter(organisation__in=administered_organisations(user=user))


def notices_for_admin(*, user: User) -> QuerySet[PurgeNotice]:
    return PurgeNotice.objects.filter(organisation__in=administered_organisations(user=user))


def purge_records_for_admin(*, user: User) -> QuerySet[PurgeJob]:
    return PurgeJob.objects.filter(organisation__in=administered_organisations(user=user))


def case_find(*, organisation_ids: Sequence[uuid.UUID], reference: str) -> CaseFacts | None:
    return registry.case_source().find(organisation_ids=organisation_ids, reference=reference)


# --- erasure requests -------------------------------------------------------------------------


def _erasure_organisations(user: User) -> QuerySet[Organisation]:
    return organisations_for_user(user=user).filter(
        memberships__user=user,
        memberships__is_active=True,
        memberships__role__in=[Role.SUPERVISOR, Role.ORG_ADMIN],
    )


def erasure_requests_for_user(*, user: User) -> QuerySet[ErasureRequest]:
    """The requests of the organisations she supervises or administers."""
    return (
        ErasureRequest.objects.filter(organisation__in=_erasure_organisations(user))
        .select_related("requested_by", "decided_by", "organisation")
        .distinct()
    )


def erasure_request_get_for_user(*, user: User, request_id: uuid.UUID | str) -> ErasureRequest:
    try:
        return erasure_requests_for_user(user=user).get(pk=request_id)
    except (ErasureRequest.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def user_may_request_erasure(*, user: User) -> bool:
    return organisations_for_user(user=user, role=Role.SUPERVISOR).exists()


def user_sees_erasure(*, user: User) -> bool:
    return _erasure_organisations(user).exists()
