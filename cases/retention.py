"""What the cases app gives retention: the cases themselves, "with children" as a kind of
case, a court case marked pending as a legal hold, and the purge of a survivor's file.

Registered from ``CasesConfig.ready()``; the contract is crisis_ops/retention/registry.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    Case,
    CaseUserObjectPermission,
    Child,
    Consent,
    Incident,
    IntakeDraft,
    Note,
    Perpetrator,
    RiskAssessment,
    ServiceGiven,
    Survivor,
)
from crisis_ops.retention.registry import (
    CaseFacts,
    Deleted,
    register_case_kind,
    register_case_source,
    register_hold,
    register_purger,
)

WITH_CHILDREN = "with_children"
COURT_PENDING = "court_case_pending"

_FACTS = ("pk", "reference", "survivor_id", "organisation_id", "status", "closed_at")


def _facts(row: tuple) -> CaseFacts:  # type: ignore[type-arg]
    pk, reference, survivor_id, organisation_id, status, closed_at = row
    return CaseFacts(
        case_id=pk,
        reference=reference,
        survivor_id=survivor_id,
        organisation_id=organisation_id,
        is_closed=status == Case.Status.CLOSED,
        closed_at=closed_at,
    )


def _cases(
    *, organisation_ids: Sequence[uuid.UUID], survivor_ids: Sequence[uuid.UUID] | None = None
) -> Iterable[CaseFacts]:
    rows = Case.objects.filter(organisation_id__in=list(organisation_ids))
    if survivor_ids is not None:
        rows = rows.filter(survivor_id__in=list(survivor_ids))
    return [_facts(row) for row in rows.order_by().values_list(*_FACTS)]


def _find(*, organisation_ids: Sequence[uuid.UUID], reference: str) -> CaseFacts | None:
    row = (
        Case.objects.filter(organisation_id__in=list(organisation_ids), reference=reference)
        .values_list(*_FACTS)
        .first()
    )
    return _facts(row) if row is not None else None


def _with_children(case_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    return set(Child.objects.filter(case_id__in=list(case_ids)).values_list("case_id", flat=True))


def _court_pending(case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    rows = Case.objects.filter(pk__in=list(case_ids), court_case_pending=True)
    return {pk: [_("A court case is pending.")] for pk in rows.values_list("pk", flat=True)}


def _purge(survivor_ids: Sequence[uuid.UUID]) -> Deleted:
    """Delete the survivors' cases, everything in them, and the survivors themselves.

    Referrals, stays and orders point at a case with PROTECT: their apps' purgers run
    first (lower order), so by now nothing outside this app points at these cases.
    """
    ids = list(survivor_ids)
    cases = Case.objects.filter(survivor_id__in=ids)
    deleted: Deleted = {}
    for model in (
        Consent,
        Note,
        ServiceGiven,
        Incident,
        Perpetrator,
        Child,
        RiskAssessment,
        CaseUserObjectPermission,
    ):
        case_path = "content_object" if model is CaseUserObjectPermission else "case"
        rows = model.objects.filter(**{f"{case_path}__survivor_id__in": ids})
        deleted[model._meta.label_lower] = list(rows.values_list(f"{case_path}__survivor_id", "pk"))
    deleted["cases.case"] = list(cases.values_list("survivor_id", "pk"))
    # An unfinished intake sealed under her key (the draft reserves her id).
    drafts = IntakeDraft.objects.filter(survivor_id__in=ids)
    deleted["cases.intakedraft"] = list(drafts.values_list("survivor_id", "pk"))
    drafts.delete()
    deleted["cases.survivor"] = [
        (pk, pk) for pk in Survivor.objects.filter(pk__in=ids).values_list("pk", flat=True)
    ]
    cases.delete()
    Survivor.objects.filter(pk__in=ids).delete()
    return deleted


def register() -> None:
    register_case_source(cases=_cases, find=_find)
    register_case_kind(
        WITH_CHILDREN, label=gettext_lazy("Cases with children"), cases=_with_children
    )
    register_hold(COURT_PENDING, label=gettext_lazy("A court case is pending"), held=_court_pending)
    register_purger("cases", order=100, purge=_purge)
