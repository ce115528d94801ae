"""Reminder kinds, registered by the app that owns each one from its ``AppConfig.ready()``.

Registering a kind's check ("is this reminder still worth sending?") is what makes it
a reminder kind; the database keeps no choices, so a new kind needs no migration here.
A reminder delivers a notification of the same kind, so its label and e-mail come from
``crisis_ops.notifications.kinds``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    from crisis_ops.reminders.models import Reminder

StillDue = Callable[["Reminder"], bool]

_STILL_DUE: dict[str, StillDue] = {}


def register_still_due(kind: str, check: StillDue) -> None:
    _STILL_DUE[kind] = check


def still_due_check(kind: str) -> StillDue | None:
    return _STILL_DUE.get(kind)


def reminder_kinds() -> frozenset[str]:
    return frozenset(_STILL_DUE)


def validate_reminder_kind(value: str) -> None:
    if value not in _STILL_DUE:
        raise ValidationError("Unknown reminder kind: %(kind)s", params={"kind": value})
