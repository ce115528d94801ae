"""The case timeline's lines about shelter beds: holds placed and ended, stays begun and
ended (registered with cases.timeline, one query whatever the case holds).

The shelter is named, never its address: the address does not leave its organisation.
"""

from __future__ import annotations

from cases.models import Case
from cases.timeline import Entry, register_timeline_source
from crisis_ops.accounts.models import User
from shelters.models import Occupancy

TEMPLATE = "shelters/_timeline_entry.html"


def case_entries(*, case: Case, user: User | None = None) -> list[Entry]:
    """The case's holds and stays (her children's beds ride on hers). The caller has
    checked the case is hers to see."""
    entries = []
    occupancies = (
        Occupancy.objects.filter(case=case, accompanies__isnull=True)
        .select_related("bed__room", "bed__shelter", "placed_by")
        .defer("bed__shelter__address")
    )
    for o in occupancies:
        if o.kind == Occupancy.Kind.HOLD:
            entries.append(Entry(o.created_at, "shelter.hold", o, o.placed_by, template=TEMPLATE))
            if o.ended_at:
                entries.append(Entry(o.ended_at, "shelter.hold_ended", o, template=TEMPLATE))
            continue
        entries.append(
            Entry(o.admitted_on or o.created_at, "shelter.stay", o, o.placed_by, template=TEMPLATE)
        )
        if o.ended_at:
            entries.append(Entry(o.ended_at, "shelter.stay_ended", o, template=TEMPLATE))
    return entries


def register() -> None:
    register_timeline_source("shelters", case_entries)
