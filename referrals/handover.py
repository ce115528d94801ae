"""After a full transfer, the center that gave the case reads what it wrote, and only that.

"What it wrote" is the case file as it stood while the case was its own: entries made
between the moment it got the case (opened it, or accepted it from another center) and
the moment the transfer was accepted. Nothing the taking center adds later shows here.
The same entries feed the page and the API; every read is audited.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from cases.models import Case
from cases.models.choices import ServiceType
from cases.timeline import case_timeline
from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from referrals import selectors
from referrals.models import Referral

_KINDS = ("incident", "note", "risk", "service", "consent")
_DONE = (Referral.Status.ACCEPTED, Referral.Status.COMPLETED)


@dataclass(frozen=True)
class Entry:
    kind: str
    at: datetime.datetime
    author: User | None
    title: str
    text: str


@dataclass(frozen=True)
class HandedOver:
    referral: Referral
    since: datetime.datetime | None
    until: datetime.datetime
    entries: list[Entry]


def _window_start(referral: Referral) -> datetime.datetime | None:
    """When the giving center got the case: the last transfer into it before this one."""
    into = (
        Referral.objects.filter(
            case_id=referral.case_id, is_transfer=True, status__in=_DONE, answered_at__isnull=False
        )
        .exclude(pk=referral.pk)
        .filter(answered_at__lt=referral.answered_at)
        .order_by("-answered_at")
    )
    for earlier in into:
        if earlier.taking_organisation_id == referral.giving_organisation_id:
            return earlier.answered_at
    return None


def _describe(kind: str, obj: Any) -> tuple[str, str]:
    if kind == "incident":
        return (
            f"{_('Incident')}: {obj.get_gbvims_class_display()}, {obj.get_relationship_display()}",
            obj.narrative or "",
        )
    if kind == "note":
        return str(_("Note")), obj.text
    if kind == "risk":
        return f"{_('Risk assessment')}: {obj.score}, {obj.get_band_display()}", ""
    if kind == "service":
        return f"{_('Service')}: {dict(ServiceType.choices).get(obj.kind, obj.kind)}", obj.details
    return f"{_('Consent')}: {obj.get_scope_display()}", ""


def handed_over_for_user(*, user: User, referral_id: Any) -> HandedOver:
    """404 unless the user is of the center that handed this case over on this transfer."""
    referral = selectors.referral_get_for_user(user=user, referral_id=referral_id)
    if (
        not referral.is_transfer
        or referral.status not in _DONE
        or referral.answered_at is None
        or not selectors.is_giving_side(user=user, referral=referral)
    ):
        raise Http404
    since, until = _window_start(referral), referral.answered_at
    case = Case.objects.get(pk=referral.case_id)
    entries = []
    for item in case_timeline(case):
        created = getattr(item.obj, "created_at", None)
        if item.kind not in _KINDS or created is None or created >= until:
            continue
        if since is not None and created < since:
            continue
        title, text = _describe(item.kind, item.obj)
        entries.append(Entry(item.kind, created, item.actor, title, text))
    return HandedOver(referral, since, until, entries)


def handed_over_open(*, actor: User, referral_id: Any) -> HandedOver:
    handed = handed_over_for_user(user=actor, referral_id=referral_id)
    audit_record(
        action="case.handed_over_read",
        actor=actor,
        obj=handed.referral.case,
        organisation_id=handed.referral.giving_organisation_id,
    )
    return handed
