"""Referrals in retention: a referral not yet completed (sent or accepted) as a legal hold,
and the purge of her referrals with their snapshots. Registered from
``ReferralsConfig.ready()``."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crisis_ops.retention.registry import Deleted, register_hold, register_purger
from referrals.models import Referral

NOT_COMPLETED = "referral_not_completed"


def _live(case_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    held: dict[uuid.UUID, list[str]] = defaultdict(list)
    rows = Referral.objects.filter(case_id__in=list(case_ids), status__in=Referral.LIVE)
    for case_id, reference in rows.values_list("case_id", "reference"):
        held[case_id].append(
            _("Referral %(reference)s is not completed.") % {"reference": reference}
        )
    return held


def _purge(survivor_ids: Sequence[uuid.UUID]) -> Deleted:
    referrals = Referral.objects.filter(case__survivor_id__in=list(survivor_ids))
    deleted = {"referrals.referral": list(referrals.values_list("case__survivor_id", "pk"))}
    # A transfer request points at the referral it is based on (PROTECT): those go first.
    referrals.filter(based_on__isnull=False).delete()
    referrals.delete()
    return deleted


def register() -> None:
    register_hold(NOT_COMPLETED, label=gettext_lazy("A referral is not completed"), held=_live)
    register_purger("referrals", order=10, purge=_purge)
