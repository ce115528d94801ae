"""Channels a notification leaves the app by. The in-app inbox is the row itself;
every other channel implements ``Channel`` and is listed in NOTIFICATION_CHANNELS,
so SMS or Telegram is one class and one setting away."""

from __future__ import annotations

from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from crisis_ops.accounts.models import User


class Channel(Protocol):
    name: str

    def can_reach(self, user: User) -> bool: ...

    def send(self, user: User, subject: str, body: str) -> None: ...


class EmailChannel:
    name = "email"

    def can_reach(self, user: User) -> bool:
        return bool(user.email)

    def send(self, user: User, subject: str, body: str) -> None:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def configured_channels() -> list[Channel]:
    return [import_string(path)() for path in settings.NOTIFICATION_CHANNELS]
