"""The one place that says which dates are plausible, for every form and serializer.

A date is one of three kinds: a birth (from 1900 to today), an event that happened
(from the day the center's records begin, ``RECORDS_BEGIN``, to today), or a plan — an
expiry, an expected end, the end of a period asked about — (from ``RECORDS_BEGIN`` to a
year from today, the longest court order). Forms take ``form_date(KIND, ...)``,
serializers ``api_date(KIND, ...)``: both carry the same ``DateInRange`` validator, so a
year 1 or 9999 is a clear field error before any service computes with it.

Below them, the date arithmetic that cannot overflow: a day shifted from one at the
calendar's ends (1 January of year 1, 31 December 9999) does not exist, and plain
``date + timedelta`` raises OverflowError, a 500. Every shift of a date that came from
input (reminder days, default expiries, check schedules) goes through ``add_days``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from rest_framework import serializers

# Court-ordered special requirements last up to a year: nothing is planned further.
PLAN_HORIZON = datetime.timedelta(days=366)


def _records_begin() -> datetime.date:
    return settings.RECORDS_BEGIN


def _in_a_year() -> datetime.date:
    return timezone.localdate() + PLAN_HORIZON


@dataclass(frozen=True)
class DateKind:
    code: str
    earliest: Callable[[], datetime.date]
    latest: Callable[[], datetime.date]

    def bounds(self) -> tuple[datetime.date, datetime.date]:
        return self.earliest(), self.latest()


BIRTH = DateKind("birth", lambda: datetime.date(1900, 1, 1), timezone.localdate)
EVENT = DateKind("event", _records_begin, timezone.localdate)
PLAN = DateKind("plan", _records_begin, _in_a_year)
KINDS = {kind.code: kind for kind in (BIRTH, EVENT, PLAN)}


@deconstructible
class DateInRange:
    """Refuses a date outside its kind's range, naming the range in the message."""

    def __init__(self, kind: str) -> None:
        self.kind = KINDS[kind]

    def __call__(self, value: datetime.date) -> None:
        earliest, latest = self.kind.bounds()
        if value > latest and latest == timezone.localdate():
            raise ValidationError(_("This date cannot be in the future."), code="future")
        if not earliest <= value <= latest:
            raise ValidationError(
                _("Enter a date from %(earliest)s to %(latest)s.")
                % {"earliest": date_format(earliest), "latest": date_format(latest)},
                code="date_range",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DateInRange) and other.kind == self.kind


class DateRangeInput(forms.DateInput):
    """A date picker whose min and max are the kind's range on the day it is shown."""

    input_type = "date"

    def __init__(self, kind: DateKind, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
        self.kind = kind

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        earliest, latest = self.kind.bounds()
        attrs = {**(attrs or {}), "min": earliest.isoformat(), "max": latest.isoformat()}
        return super().get_context(name, value, attrs)


def form_date(kind: DateKind, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        validators=[DateInRange(kind.code)], widget=DateRangeInput(kind), **kwargs
    )


def api_date(kind: DateKind, **kwargs: Any) -> serializers.DateField:
    kwargs.setdefault(
        "help_text",
        {
            "birth": "From 1900-01-01 to today.",
            "event": "From the day the center's records begin to today.",
            "plan": "From the day the center's records begin to a year from today.",
        }[kind.code],
    )
    return serializers.DateField(validators=[DateInRange(kind.code)], **kwargs)


def date_range_of(field: forms.Field | serializers.Field[Any, Any, Any, Any]) -> str | None:
    """The kind code of a form or serializer date field's range, if it has one."""
    for validator in field.validators:
        if isinstance(validator, DateInRange):
            return validator.kind.code
    return None


# -- Arithmetic -----------------------------------------------------------------------------


def add_days(day: datetime.date, days: int) -> datetime.date | None:
    """``day`` moved by ``days``, or None where that day is off the calendar.

    None suits a reminder (a day before year 1 is long past, one after 9999 never comes);
    a caller that must have the date uses ``add_days_or_invalid``.
    """
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:
        return None


def shifted(day: datetime.date, offsets: tuple[int, ...]) -> list[datetime.date]:
    """``day`` moved by each offset, leaving out the days off the calendar."""
    moved = (add_days(day, offset) for offset in offsets)
    return [d for d in moved if d is not None]


def add_days_or_invalid(day: datetime.date, days: int, *, field: str) -> datetime.date:
    """``day`` moved by ``days``; a ValidationError on ``field`` where it cannot be."""
    moved = add_days(day, days)
    if moved is None:
        raise ValidationError({field: [_("This date is too far from today to work with.")]})
    return moved
