"""Notification kinds, registered by the app that sends them.

A kind is a key stored on ``Notification.kind`` (and ``Reminder.kind``), a label, and
the e-mail it sends in the recipient's language. The texts take one placeholder,
``%(case_reference)s``: an identifier, never a name. The database holds no choices
for kinds, so a new kind is a registration in its app, not a migration here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise

Text = str | Promise


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: Text
    email_subject: Text
    email_body: Text


_KINDS: dict[str, NotificationKind] = {}


def register_kind(key: str, *, label: Text, email_subject: Text, email_body: Text) -> None:
    _KINDS[key] = NotificationKind(key, label, email_subject, email_body)


def kind_get(key: str) -> NotificationKind | None:
    return _KINDS.get(key)


def kind_keys() -> frozenset[str]:
    return frozenset(_KINDS)


def validate_kind(value: str) -> None:
    """Field validator: a kind must be registered by some app."""
    if value not in _KINDS:
        raise ValidationError("Unknown notification kind: %(kind)s", params={"kind": value})


def kind_label(key: str) -> Text:
    kind = _KINDS.get(key)
    return kind.label if kind is not None else key
