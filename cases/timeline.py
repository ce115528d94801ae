"""The case page's timeline: everything that happened, newest first, in a fixed query count.

Other apps add what they record about a case (orders, police checks, violations, holds,
stays) through ``register_timeline_source`` from their ``AppConfig.ready()``, so this
module lists no app. A source reads its rows in a fixed number of queries, whatever the
case holds, and only rows of the case it is given: the caller has already checked that
the user may see that case.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from cases.models import Case
from crisis_ops.accounts.models import User
from crisis_ops.audit.models import AuditEvent

_STATUS_ACTIONS = ("case.created", "case.active", "case.closed", "case.reopened", "case.assigned")


@dataclass(frozen=True)
class Entry:
    """One line of the timeline. ``when`` is a date when only the day is known (an
    incident, a service, an order's issue): it is shown as a date, never at a time."""

    when: datetime.datetime | datetime.date
    kind: str
    obj: Any
    actor: User | None = None
    # The template that renders a registered source's entries ("" for the case's own).
    template: str = ""

    @property
    def date_only(self) -> bool:
        return not isinstance(self.when, datetime.datetime)

    @property
    def sort_key(self) -> datetime.datetime:
        if isinstance(self.when, datetime.datetime):
            return self.when
        # A day without a time sorts at its start: below what was recorded later that day.
        return timezone.make_aware(datetime.datetime.combine(self.when, datetime.time.min))


TimelineSource = Callable[..., Iterable[Entry]]
_SOURCES: dict[str, TimelineSource] = {}


def register_timeline_source(key: str, entries: TimelineSource) -> None:
    """``entries(*, case, user)`` returns the source's entries about ``case``."""
    _SOURCES[key] = entries


def _own_entries(case: Case) -> list[Entry]:
    entries = [Entry(i.occurred_on, "incident", i) for i in case.incidents.all()]
    entries += [
        Entry(n.created_at, "note", n, n.author) for n in case.notes.select_related("author")
    ]
    entries += [
        Entry(r.created_at, "risk", r, r.assessed_by)
        for r in case.risk_assessments.select_related("assessed_by")
    ]
    entries += [
        Entry(s.given_on, "service", s, s.given_by)
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
    return entries


def case_timeline(case: Case, *, user: User | None = None) -> list[Entry]:
    entries = _own_entries(case)
    for source in _SOURCES.values():
        entries += source(case=case, user=user)
    return sorted(entries, key=lambda entry: entry.sort_key, reverse=True)


def case_readers(case: Case, limit: int = 50) -> list[tuple[datetime.datetime, User | None]]:
    """Who opened this case and when, for the supervisor."""
    events = list(
        AuditEvent.objects.filter(
            object_type="cases.case", object_id=str(case.pk), action="case.viewed"
        ).order_by("-seq")[:limit]
    )
    actors = User.objects.in_bulk({e.actor_id for e in events if e.actor_id})
    return [(e.occurred_at, actors.get(e.actor_id)) for e in events]
