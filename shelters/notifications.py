"""The shelters' notifications (holds answered, stays ending) and what they are about.

Registered from ``SheltersConfig.ready()``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.notifications import case_subject
from cases.selectors import case_organisations, case_scope_q
from crisis_ops.accounts.models import User
from crisis_ops.notifications.kinds import register_kind
from crisis_ops.notifications.subjects import Subject, register_subject
from shelters.models import Occupancy
from shelters.selectors import stays_for_manager

STAY_ENDING = "stay_ending"
HOLD_CONFIRMED = "hold_confirmed"
HOLD_RELEASED = "hold_released"
HOLD_EXPIRED = "hold_expired"


def _visible_occupancies(
    *, user: User, object_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, Subject]:
    """A hold or stay opens her case for those who may see it; a shelter manager who
    may not gets the stay on her bed grid instead, by survivor code. Two queries."""
    rows = Occupancy.objects.filter(
        pk__in=list(object_ids), case__in=Case.objects.filter(case_scope_q(user=user))
    ).values_list("pk", "case_id", "case__reference")
    found = {pk: case_subject(case_id, ref) for pk, case_id, ref in rows}
    rest = [pk for pk in object_ids if pk not in found]
    if rest:
        for stay in stays_for_manager(user=user, current=False).filter(pk__in=rest):
            found[stay.pk] = Subject(
                label=f"{stay.bed.shelter.name} · {stay.case.survivor.code}",
                url=reverse("shelters:grid", args=[stay.bed.shelter_id]),
            )
    return found


def _occupancy_reference(*, user: User, object_id: uuid.UUID) -> str:
    """A shelter manager of another center knows a resident by her survivor code only,
    so a stay's e-mail names the case to its own center's staff and the code to others."""
    stay = (
        Occupancy.objects.filter(pk=object_id)
        .values("case__reference", "case__organisation_id", "case__survivor__code")
        .first()
    )
    if stay is None:
        return ""
    staff_of = case_organisations(user=user).values_list("organisation_id", flat=True)
    if stay["case__organisation_id"] in set(staff_of):
        return str(stay["case__reference"])
    return str(stay["case__survivor__code"])


def register() -> None:
    register_subject(
        "shelters.occupancy", visible=_visible_occupancies, reference=_occupancy_reference
    )
    register_kind(
        STAY_ENDING,
        label=_("Shelter stay ending"),
        email_subject=_("Crisis Ops: a shelter stay ends soon (%(case_reference)s)"),
        email_body=_(
            "The shelter stay on case %(case_reference)s is planned to end soon. Agree with "
            "her where she goes next, or extend the stay."
        ),
    )
    register_kind(
        HOLD_CONFIRMED,
        label=_("Bed hold confirmed"),
        email_subject=_("Crisis Ops: the shelter confirmed the bed (%(case_reference)s)"),
        email_body=_(
            "The shelter confirmed the bed held for case %(case_reference)s: she is admitted."
        ),
    )
    register_kind(
        HOLD_RELEASED,
        label=_("Bed hold released by the shelter"),
        email_subject=_("Crisis Ops: the shelter released the bed (%(case_reference)s)"),
        email_body=_(
            "The shelter released the bed held for case %(case_reference)s. Look for another "
            "bed on the board, or call the shelter."
        ),
    )
    register_kind(
        HOLD_EXPIRED,
        label=_("Bed hold expired"),
        email_subject=_("Crisis Ops: a bed hold expired (%(case_reference)s)"),
        email_body=_(
            "The bed held for case %(case_reference)s was not confirmed within 90 minutes and"
            " is free again. Hold a bed again if she is still on her way."
        ),
    )
