"""The notifications the cases app sends and what its notifications are about.

Registered from ``CasesConfig.ready()``; see crisis_ops/notifications/kinds.py and
subjects.py for the contract.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Consent
from cases.selectors import case_scope_q
from crisis_ops.accounts.models import User
from crisis_ops.notifications.kinds import register_kind
from crisis_ops.notifications.subjects import Subject, register_subject

HIGH_RISK = "high_risk"
CASE_ASSIGNED = "case_assigned"


def case_subject(case_id: uuid.UUID, reference: str, url: str | None = None) -> Subject:
    """A subject that opens a case (or ``url``, a page of it) for one who may see the case."""
    return Subject(
        label=reference,
        url=url or reverse("cases:case_detail", args=[case_id]),
        case_id=case_id,
        case_reference=reference,
    )


def visible_cases(*, user: User, case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Subject]:
    """case id -> its subject, among the cases the user may still see. One query."""
    rows = Case.objects.filter(case_scope_q(user=user), pk__in=list(case_ids))
    return {pk: case_subject(pk, ref) for pk, ref in rows.values_list("pk", "reference")}


def _visible_consents(*, user: User, object_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Subject]:
    rows = Consent.objects.filter(
        pk__in=list(object_ids), case__in=Case.objects.filter(case_scope_q(user=user))
    ).values_list("pk", "case_id", "case__reference")
    return {pk: case_subject(case_id, ref) for pk, case_id, ref in rows}


def _case_reference(*, user: User, object_id: uuid.UUID) -> str:
    return Case.objects.filter(pk=object_id).values_list("reference", flat=True).first() or ""


def _consent_reference(*, user: User, object_id: uuid.UUID) -> str:
    consents = Consent.objects.filter(pk=object_id)
    return consents.values_list("case__reference", flat=True).first() or ""


def register() -> None:
    register_subject(
        "cases.case",
        visible=lambda *, user, object_ids: visible_cases(user=user, case_ids=object_ids),
        reference=_case_reference,
    )
    register_subject("cases.consent", visible=_visible_consents, reference=_consent_reference)
    register_kind(
        HIGH_RISK,
        label=_("High risk assessed"),
        email_subject=_("Crisis Ops: a case was assessed as high risk"),
        email_body=_(
            "A risk assessment in your center gave a high-risk result. Please review the case"
            " and the safety plan today."
        ),
    )
    register_kind(
        CASE_ASSIGNED,
        label=_("A case was assigned to you"),
        email_subject=_("Crisis Ops: case %(case_reference)s is now yours"),
        email_body=_(
            "Case %(case_reference)s was assigned to you. Open it in Crisis Ops to read the"
            " file and plan the next contact."
        ),
    )
