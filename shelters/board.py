"""The network availability board and the manager's dashboard: free beds counted per
shelter, in one pass over the beds, with the street address only for its own
organisation."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from crisis_ops.accounts.models import User
from shelters.models import Bed, Occupancy, Shelter
from shelters.selectors import active_occupancies, member_organisations, shelters_managed_by


@dataclass(frozen=True)
class BoardRow:
    shelter: Shelter
    free: dict[str, int]
    free_accessible: int
    free_isolation: int
    total: int
    in_service: int
    show_address: bool
    updated_at: datetime.datetime | None = field(default=None)

    @property
    def free_total(self) -> int:
        return sum(self.free.values())


def availability_board(
    *,
    user: User,
    region_id: uuid.UUID | str | None = None,
    kind: str = "",
    accessible: bool = False,
) -> list[BoardRow]:
    """Free beds by kind for every active shelter of the network, in three queries.

    The beds are counted in one pass: each bed meets its active occupancy (at most one,
    by the partial unique index) through a filtered LEFT JOIN, never the history.
    With ``kind`` or ``accessible``, only shelters with such a free bed are listed.
    The street address is given only to members of the shelter's own organisation.
    """
    active = Shelter.objects.filter(is_active=True)
    if region_id:
        active = active.filter(region_id=region_id)
    shelters = list(
        active.select_related("region", "organisation").order_by("region__name_en", "name")
    )
    counts = bed_counts([s.pk for s in shelters])
    own = set(member_organisations(user=user))
    empty = dict.fromkeys(
        ("adult", "child", "cot", "accessible", "isolation", "total", "in_service"), 0
    )
    rows = []
    for shelter in shelters:
        n = counts.get(shelter.pk, empty)
        rows.append(
            BoardRow(
                shelter=shelter,
                free={"adult": n["adult"], "child": n["child"], "cot": n["cot"]},
                free_accessible=n["accessible"],
                free_isolation=n["isolation"],
                total=n["total"],
                in_service=n["in_service"],
                show_address=shelter.organisation_id in own,
                updated_at=shelter.beds_updated_at,
            )
        )
    if kind:
        rows = [row for row in rows if row.free.get(kind, 0) > 0]
    if accessible:
        rows = [row for row in rows if row.free_accessible > 0]
    return rows


_BED_COUNTS_SQL = """
SELECT shelter_id,
       count(*),
       count(*) FILTER (WHERE NOT out_of_service),
       count(*) FILTER (WHERE free AND kind = %s),
       count(*) FILTER (WHERE free AND kind = %s),
       count(*) FILTER (WHERE free AND kind = %s),
       count(*) FILTER (WHERE free AND wheelchair_accessible),
       count(*) FILTER (WHERE free AND isolation)
FROM (
    SELECT bed.shelter_id, bed.kind, bed.wheelchair_accessible, bed.isolation,
           bed.out_of_service,
           NOT bed.out_of_service
           AND (active.id IS NULL
                OR (active.kind = %s AND active.hold_expires_at < %s)) AS free
    FROM {bed} bed
    LEFT JOIN {occupancy} active ON active.bed_id = bed.id AND active.ended_at IS NULL
    WHERE bed.shelter_id IN ({shelters})
) beds
GROUP BY shelter_id
"""

_COUNT_NAMES = ("total", "in_service", "adult", "child", "cot", "accessible", "isolation")


def bed_counts(
    shelter_ids: list[uuid.UUID], now: datetime.datetime | None = None
) -> dict[uuid.UUID, dict[str, int]]:
    """Per shelter: beds, beds in service, and free beds by kind, accessible, isolation.

    One pass over the beds, each meeting its active occupancy (at most one, by the
    partial unique index) through a LEFT JOIN; never the occupancy history. Free
    means in service and neither a stay nor a hold inside its 90 minutes, the rule of
    ``occupied_q``. Written in SQL because the board asks it on every refresh and the
    ORM spent longer compiling its seven filtered counts than PostgreSQL running them.
    Values go through the fields' own adaptation, so it runs on SQLite for ``make run``.
    """
    if not shelter_ids:
        return {}
    ops = connection.ops
    sql = _BED_COUNTS_SQL.format(
        bed=ops.quote_name(Bed._meta.db_table),
        occupancy=ops.quote_name(Occupancy._meta.db_table),
        shelters=", ".join(["%s"] * len(shelter_ids)),
    )
    shelter_key = Shelter._meta.pk
    assert shelter_key is not None
    params = [
        Bed.Kind.ADULT.value,
        Bed.Kind.CHILD.value,
        Bed.Kind.COT.value,
        Occupancy.Kind.HOLD.value,
        ops.adapt_datetimefield_value(now or timezone.now()),
        *(shelter_key.get_db_prep_value(pk, connection) for pk in shelter_ids),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            shelter_key.to_python(row[0]): dict(zip(_COUNT_NAMES, row[1:], strict=True))
            for row in cursor.fetchall()
        }


@dataclass(frozen=True)
class ShelterSummary:
    shelter: Shelter
    free: int
    in_service: int
    holds_waiting: int
    stays_ending_soon: int


def manager_summaries(user: User, *, within_days: int = 3) -> list[ShelterSummary]:
    """The shelter manager's dashboard: per shelter, free beds, holds to answer, stays
    ending within a few days. Three queries whatever the number of shelters."""
    soon = timezone.localdate() + datetime.timedelta(days=within_days)
    now = timezone.now()
    waiting = active_occupancies(now=now).filter(kind=Occupancy.Kind.HOLD)
    ending = Q(
        beds__occupancies__kind=Occupancy.Kind.STAY,
        beds__occupancies__ended_at__isnull=True,
        beds__occupancies__accompanies__isnull=True,
        beds__occupancies__expected_end__lte=soon,
    )
    shelters = list(
        shelters_managed_by(user=user)
        .filter(is_active=True)
        .annotate(
            holds_waiting=Count(
                "beds__occupancies",
                filter=Q(beds__occupancies__in=waiting.values("pk")),
                distinct=True,
            ),
            stays_ending_soon=Count("beds__occupancies", filter=ending, distinct=True),
        )
        .order_by("name")
    )
    counts = bed_counts([s.pk for s in shelters], now)
    return [
        ShelterSummary(
            shelter=s,
            free=sum(counts[s.pk][kind] for kind in Bed.Kind.values) if s.pk in counts else 0,
            in_service=counts[s.pk]["in_service"] if s.pk in counts else 0,
            holds_waiting=s.holds_waiting,
            stays_ending_soon=s.stays_ending_soon,
        )
        for s in shelters
    ]
