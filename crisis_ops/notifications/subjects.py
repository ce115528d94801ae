"""What a notification is about, resolved by the app that owns the object.

A notification names its object by type (``app_label.model``) and id only. Each app
registers, for each of its object types, how those resolve for a recipient:

- ``visible(user=, object_ids=)``: the subjects the user may still open, by object id,
  in a fixed number of queries for the whole page;
- ``reference(user=, object_id=)``: the identifier an e-mail names (never a name).

The inbox, the API and the e-mails go through here, so none of them knows an app.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from crisis_ops.accounts.models import User
    from crisis_ops.notifications.models import Notification


@dataclass(frozen=True)
class Subject:
    """A link the recipient may follow; ``case_*`` set when she may open the case."""

    label: str
    url: str
    case_id: uuid.UUID | None = None
    case_reference: str | None = None


class VisibleSubjects(Protocol):
    def __call__(
        self, *, user: User, object_ids: Sequence[uuid.UUID]
    ) -> dict[uuid.UUID, Subject]: ...


class SubjectReference(Protocol):
    def __call__(self, *, user: User, object_id: uuid.UUID) -> str: ...


@dataclass(frozen=True)
class SubjectType:
    visible: VisibleSubjects
    reference: SubjectReference


_TYPES: dict[str, SubjectType] = {}


def register_subject(
    object_type: str, *, visible: VisibleSubjects, reference: SubjectReference
) -> None:
    _TYPES[object_type] = SubjectType(visible, reference)


def subjects_for(*, user: User, notifications: Iterable[Notification]) -> dict[uuid.UUID, Subject]:
    """notification id -> its subject, for those the user may still open.

    One resolver call per object type on the page, so the queries do not grow with it.
    """
    by_type: dict[str, list[Notification]] = defaultdict(list)
    for notification in notifications:
        by_type[notification.object_type].append(notification)
    found: dict[uuid.UUID, Subject] = {}
    for object_type, rows in by_type.items():
        subject_type = _TYPES.get(object_type)
        if subject_type is None:
            continue
        subjects = subject_type.visible(
            user=user, object_ids=list(dict.fromkeys(n.object_id for n in rows))
        )
        found.update({n.pk: subjects[n.object_id] for n in rows if n.object_id in subjects})
    return found


def subject_reference(notification: Notification) -> str:
    """The identifier the notification's e-mail names for its recipient; "" if gone."""
    subject_type = _TYPES.get(notification.object_type)
    if subject_type is None:
        return ""
    return subject_type.reference(user=notification.recipient, object_id=notification.object_id)
