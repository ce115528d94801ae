"""The stay-ending reminder: 3 days before the expected end and on the day."""

from __future__ import annotations

from django.utils import timezone

from crisis_ops.accounts.models import User
from crisis_ops.organisations.roles import Role
from crisis_ops.reminders.models import Reminder
from crisis_ops.reminders.services import register_still_due
from shelters.models import Occupancy


def stay_recipients(stay: Occupancy) -> list[User]:
    """The shelter's managers and the survivor's caseworker."""
    managers = User.objects.filter(
        is_active=True,
        memberships__organisation_id=stay.bed.shelter.organisation_id,
        memberships__role=Role.SHELTER_MANAGER,
        memberships__is_active=True,
    )
    people = {*managers}
    if stay.case.assigned_to and stay.case.assigned_to.is_active:
        people.add(stay.case.assigned_to)
    return sorted(people, key=lambda user: str(user.pk))


def _stay_still_due(reminder: Reminder) -> bool:
    stay = Occupancy.objects.filter(pk=reminder.object_id).first()
    if stay is None or stay.ended_at is not None or stay.expected_end is None:
        return False
    day = timezone.localtime(reminder.due_at).date()
    return day <= stay.expected_end


def register() -> None:
    register_still_due(Reminder.Kind.STAY_ENDING, _stay_still_due)
