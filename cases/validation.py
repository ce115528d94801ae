"""Validation shared by the intake, the case services, the forms and the API.

Each function raises ValidationError naming every bad field, with a message for
the caseworker in her language.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models.choices import (
    ConsentPart,
    ConsentScope,
    GBVIMSClass,
    Relationship,
    ViolenceType,
)
from crisis_ops.encryption.normalise import (
    iin_birth_date,
    normalise_iin,
    normalise_name,
    normalise_phone,
)

# Consents about the center's own work or anonymised figures: nothing of hers leaves.
SCOPES_WITHOUT_PARTS = (ConsentScope.SERVICES, ConsentScope.STATISTICS)


def clean_identity(*, iin: str | None, phone: str | None, full_name: str) -> dict[str, Any]:
    """Normal forms of what was typed; ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for field, value, normalise in (
        ("iin", iin, normalise_iin),
        ("phone", phone, normalise_phone),
    ):
        if value:
            try:
                cleaned[field] = normalise(value)
            except ValueError as exc:
                errors[field] = [str(exc)]
        else:
            cleaned[field] = None
    try:
        normalise_name(full_name)
        cleaned["full_name"] = " ".join(full_name.split())
    except ValueError as exc:
        errors["full_name"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_birth_date_against_iin(*, iin: str | None, birth_date: datetime.date | None) -> None:
    """An IIN begins with its holder's birth date (YYMMDD, the 7th digit giving the
    century): one that disagrees with the birth date typed means one of them is wrong."""
    encoded = iin_birth_date(iin) if iin else None
    if encoded is None or birth_date is None or encoded == birth_date:
        return
    raise ValidationError(
        {
            "birth_date": [
                _(
                    "The IIN says she was born on %(iin_date)s, but the birth date typed is "
                    "%(typed)s. Check both with her."
                )
                % {"iin_date": f"{encoded:%d.%m.%Y}", "typed": f"{birth_date:%d.%m.%Y}"}
            ]
        }
    )


def clean_incident_dates(*, occurred_on: datetime.date, birth_date: datetime.date | None) -> None:
    errors: dict[str, list[str]] = {}
    if occurred_on > timezone.localdate():
        errors["occurred_on"] = [_("The incident cannot be in the future.")]
    elif birth_date is not None and birth_date > occurred_on:
        errors["occurred_on"] = [_("The incident cannot be before the survivor's birth date.")]
    if errors:
        raise ValidationError(errors)


def clean_incident_categories(
    *, violence_types: Iterable[str], gbvims_class: str, relationship: str
) -> list[str]:
    types = sorted(set(violence_types))
    errors: dict[str, list[str]] = {}
    if not types or not set(types) <= set(ViolenceType.values):
        errors["violence_types"] = [_("Choose at least one type of violence.")]
    if gbvims_class not in GBVIMSClass.values:
        errors["gbvims_class"] = [_("Choose one of the offered classes.")]
    if relationship not in Relationship.values:
        errors["relationship"] = [_("Choose one of the offered relationships.")]
    if errors:
        raise ValidationError(errors)
    return types


def clean_consent(
    *,
    scope: str,
    granted_on: datetime.date,
    expires_on: datetime.date | None,
    parts: Iterable[str] = (),
) -> list[str]:
    """Check a consent's fields; returns its parts without repeats, in the fixed order."""
    errors: dict[str, list[str]] = {}
    if scope not in ConsentScope.values:
        errors["scope"] = [_("Choose one of the offered scopes.")]
    wanted = set(parts)
    if not wanted <= set(ConsentPart.values):
        errors["parts"] = [_("Choose parts from the offered list.")]
    elif wanted and scope in SCOPES_WITHOUT_PARTS:
        errors["parts"] = [_("This scope shares nothing outside the center; it covers no parts.")]
    if granted_on > timezone.localdate():
        errors["granted_on"] = [_("Consent cannot be given in the future.")]
    if expires_on is not None and expires_on < timezone.localdate():
        errors["expires_on"] = [
            _("This consent has already expired; it cannot be recorded as current.")
        ]
    elif expires_on is not None and expires_on < granted_on:
        errors["expires_on"] = [_("A consent cannot expire before it was given.")]
    if errors:
        raise ValidationError(errors)
    return [part for part in ConsentPart.values if part in wanted]
