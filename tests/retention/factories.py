"""Retention test data: cases closed at a chosen time, through the case services."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import time_machine

from cases import services as case_services
from cases.models import Case
from tests.cases.factories import intake

ALMATY = ZoneInfo("Asia/Almaty")


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ALMATY)


def closed_case(actor, organisation, closed_on: datetime.date, case: Case | None = None, **kw):
    """A case (a new intake, or ``case``) closed on that day."""
    with time_machine.travel(at(closed_on), tick=False):
        case = case or intake(actor, organisation, **kw)
        return case_services.case_change_status(
            actor=actor, case=case, status="closed", closed_reason="resolved"
        )
