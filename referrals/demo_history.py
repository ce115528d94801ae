"""Two years of demo referrals for ``seed_demo``: history cases referred to the directory of
their region and to the other demo centers, each with the consent it needed and an answer,
so referrals by partner kind and outcome, and answer times, have figures.

Every history referral is over (declined, completed or cancelled), so none of them grants
anyone access to a case today.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from cases.demo_history import REFERENCE_PREFIX, uuid_from
from cases.models import Case, Consent
from cases.models.choices import ConsentPart
from crisis_ops.core.demo import register_seeder
from referrals import sharing
from referrals.models import Partner, Referral

REFERRAL_SHARE = 0.4
# kind code: weight, and the spread of answer times in hours (a quick and a slow answer)
KINDS = {
    "police": (25, (2, 40)),
    "medical": (15, (1, 30)),
    "legal": (25, (6, 120)),
    "psychological": (15, (4, 96)),
    "social": (10, (24, 200)),
    "center": (10, (1, 60)),
}
ENDINGS = (("completed", 62), ("declined", 23), ("cancelled", 15))
OUTCOMES = (("provided", 60), ("partly_provided", 15), ("did_not_come", 12),
            ("she_declined", 8), ("other", 5))  # fmt: skip
DECLINES = ("no_capacity", "outside_mandate", "outside_area", "not_eligible", "unreachable")
PARTS = ["identity", "incident_summary", "risk_band"]


@register_seeder(order=80)
@transaction.atomic
def seed_referral_history(write: Callable[[str], None]) -> None:
    if Referral.objects.filter(reference__startswith="RH-").exists():
        return
    rng = random.Random("history-referrals")  # noqa: S311 - demo data
    cutoff = timezone.now() - datetime.timedelta(days=14)
    cases = (
        Case.objects.filter(reference__startswith=REFERENCE_PREFIX)
        .select_related("organisation", "survivor", "assigned_to")
        .order_by("reference")
    )
    partners = list(Partner.objects.select_related("kind").order_by("name"))
    consents: list[Consent] = []
    referrals: list[Referral] = []
    for case in cases:
        if rng.random() >= REFERRAL_SHARE:
            continue
        code = rng.choices(list(KINDS), [weight for weight, _ in KINDS.values()])[0]
        choice = [
            p
            for p in partners
            if p.kind.code == code
            and p.linked_organisation_id != case.organisation_id
            and (code == "center" or p.region_id == case.organisation.region_id)
        ]
        sent = timezone.make_aware(
            datetime.datetime.combine(
                case.opened_on + datetime.timedelta(days=rng.randrange(10)),
                datetime.time(9 + rng.randrange(9), rng.randrange(60)),
            )
        )
        if not choice or sent > cutoff:
            continue
        partner = rng.choice(choice)
        consent = Consent(
            id=uuid_from(rng),
            case=case,
            scope=partner.kind.consent_scope,
            granted_on=sent.date(),
            parts=list(ConsentPart.values),
            recorded_by=case.assigned_to,
        )
        consents.append(consent)
        referrals.append(_referral(rng, len(referrals), case, partner, consent, sent))
    Consent.objects.bulk_create(consents, batch_size=500)
    Referral.objects.bulk_create(referrals, batch_size=500)
    write(f"  history: {len(referrals)} answered referrals")


def _referral(
    rng: random.Random,
    n: int,
    case: Case,
    partner: Partner,
    consent: Consent,
    sent: datetime.datetime,
) -> Referral:
    quick, slow = KINDS[partner.kind.code][1]
    answered = sent + datetime.timedelta(hours=rng.uniform(quick, slow))
    status = rng.choices([s for s, _ in ENDINGS], [w for _, w in ENDINGS])[0]
    actor = case.assigned_to
    referral = Referral(
        id=uuid_from(rng),
        reference=f"RH-{n:06d}",
        case=case,
        partner=partner,
        from_organisation=case.organisation,
        to_organisation_id=partner.linked_organisation_id,
        purpose=rng.choice(partner.kind.services),
        status=status,
        parts=PARTS,
        consent=consent,
        delivery="in_app" if partner.linked_organisation_id else rng.choice(("handed", "email")),
        sent_by=actor,
        sent_at=sent,
        answer_due_at=sent + datetime.timedelta(hours=partner.kind.answer_hours),
    )
    referral.snapshot = sharing.snapshot_build(case=case, parts=PARTS)
    if status == "cancelled":
        referral.cancelled_by, referral.cancelled_at = actor, answered
        return referral
    referral.answered_by, referral.answered_at = actor, answered
    if status == "declined":
        referral.decline_reason = rng.choice(DECLINES)
    else:
        referral.completed_by = actor
        referral.completed_at = answered + datetime.timedelta(days=rng.randint(1, 30))
        referral.outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
    return referral
