"""The case page's timeline: everything that happened, newest first, in a fixed query count."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cases.models import Case
from crisis_ops.accounts.models import User
from crisis_ops.audit.models import AuditEvent

_STATUS_ACTIONS = ("case.created", "case.active", "case.closed", "case.reopened", "case.assigned")


@dataclass(frozen=True)
class Entry:
    when: datetime.datetime
    kind: str
    obj: Any
    actor: User | None = None


def _at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def case_timeline(case: Case) -> list[Entry]:
    entries = [Entry(_at_noon(i.occurred_on), "incident", i) for i in case.incidents.all()]
    entries += [
        Entry(n.created_at, "note", n, n.author) for n in case.notes.select_related("author")
    ]
    entries += [
        Entry(r.created_at, "risk", r, r.assessed_by)
        for r in case.risk_assessments.select_related("assessed_by")
    ]
    entries += [
        Entry(_at_noon(s.given_on), "service", s, s.given_by)
        for s in case.services.select_related("given_by")
    ]
    entries += [
        Entry(c.created_at, "consent", c, c.recorded_by)
        for c in case.consents.select_related("recorded_by")
    ]
    entries += [
        Entry(r.sent_at, "referral", r, r.sent_by)
        for r in case.referrals.select_related("partner", "sent_by")
    ]
    events = list(
        AuditEvent.objects.filter(
            object_type="cases.case", object_id=str(case.pk), action__in=_STATUS_ACTIONS
        )
    )
    actors = User.objects.in_bulk({e.actor_id for e in events if e.actor_id})
    entries += [Entry(e.occurred_at, e.action, e, actors.get(e.actor_id)) for e in events]
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def case_readers(case: Case, limit: int = 50) -> list[tuple[datetime.datetime, User | None]]:
    """Who opened this case and when, for the supervisor."""
    events = list(
        AuditEvent.objects.filter(
            object_type="cases.case", object_id=str(case.pk), action="case.viewed"
        ).order_by("-seq")[:limit]
    )
    actors = User.objects.in_bulk({e.actor_id for e in events if e.actor_id})
    return [(e.occurred_at, actors.get(e.actor_id)) for e in events]
