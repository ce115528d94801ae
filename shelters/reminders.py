"""The stay-ending reminder: 3 days before the expected end and on the day, to the
shelter's managers and her caseworker; the plan and its send-time check side by side."""

from __future__ import annotations

import datetime

from django.utils import timezone

from crisis_ops.accounts.models import User
from crisis_ops.core.dates import shifted
from crisis_ops.organisations.roles import Role
from crisis_ops.reminders.models import Reminder
from crisis_ops.reminders.services import Plan, register_still_due, reminders_schedule
from shelters.models import Occupancy, ShelterUserObjectPermission
from shelters.notifications import STAY_ENDING

STAY_REMINDER_DAYS = (3, 0)  # days before the expected end


def stay_recipients(stay: Occupancy) -> list[User]:
    """The shelter's managers (by role, or named on the shelter) and her caseworker."""
    shelter = stay.bed.shelter
    managers = User.objects.filter(
        is_active=True,
        memberships__organisation_id=shelter.organisation_id,
        memberships__role=Role.SHELTER_MANAGER,
        memberships__is_active=True,
    )
    named = User.objects.filter(
        is_active=True,
        pk__in=ShelterUserObjectPermission.objects.filter(content_object=shelter).values("user"),
    )
    people = {*managers, *named}
    caseworker = stay.case.assigned_to
    if caseworker is not None and caseworker.is_active:
        people.add(caseworker)
    return sorted(people, key=lambda user: str(user.pk))


def stay_reminder_days(stay: Occupancy) -> list[datetime.date]:
    if stay.expected_end is None:
        return []
    return shifted(stay.expected_end, tuple(-days for days in STAY_REMINDER_DAYS))


def stay_reminders_schedule(stay: Occupancy) -> int:
    """Called by the stay's writer in its transaction. A changed end date schedules new
    rows; the old ones are found stale at send time by the check below."""
    recipients = stay_recipients(stay)
    return reminders_schedule(
        plans=[
            Plan(STAY_ENDING, stay, user, day)
            for day in stay_reminder_days(stay)
            for user in recipients
        ]
    )


def _stay_still_due(reminder: Reminder) -> bool:
    """Still in the shelter, and the reminder's day still fits the (maybe moved) end date."""
    stay = Occupancy.objects.filter(pk=reminder.object_id).first()
    if stay is None or stay.ended_at is not None or stay.kind != Occupancy.Kind.STAY:
        return False
    return timezone.localtime(reminder.due_at).date() in stay_reminder_days(stay)


def register() -> None:
    register_still_due(STAY_ENDING, _stay_still_due)
