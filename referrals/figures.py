"""Referral figures for reports: by partner kind and status; registered from ready()."""

from __future__ import annotations

from django.db.models import F, QuerySet
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from cases.figures import consented
from crisis_ops.reports.registry import Dimension, Figure, Scope, register_figure
from referrals.models import PartnerKind, Referral


def _referrals(scope: Scope) -> QuerySet[Referral]:
    return Referral.objects.filter(
        from_organisation_id__in=scope.organisation_ids,
        sent_at__date__gte=scope.start,
        sent_at__date__lte=scope.end,
    ).filter(consented("case"))


def _partner_kinds() -> list[tuple[str, str]]:
    language = (get_language() or "ru")[:2]
    return [
        (kind.code, getattr(kind, f"name_{language}", "") or kind.name_en)
        for kind in PartnerKind.objects.order_by("position", "code")
    ]


def register() -> None:
    register_figure(
        Figure(
            key="referrals",
            label=_("Referrals sent"),
            rows=_referrals,
            noun=lambda n: ngettext("%(count)s referral", "%(count)s referrals", n),
            date_path="sent_at",
            organisation_path="from_organisation_id",
            region_path="from_organisation__region__code",
            dimensions={
                "partner_kind": Dimension(
                    "partner_kind", _("Partner kind"), "partner__kind__code", _partner_kinds
                ),
                "referral_status": Dimension(
                    "referral_status", _("Status"), "status", Referral.Status.choices
                ),
            },
        )
    )
    register_figure(
        Figure(
            key="referrals_answered_in_time",
            label=_("Referrals answered before the deadline (%)"),
            rows=lambda s: _referrals(s).filter(
                answered_at__isnull=False, answered_at__lte=F("answer_due_at")
            ),
            date_path="sent_at",
            organisation_path="from_organisation_id",
            region_path="from_organisation__region__code",
            denominator="referrals",
            unit="percent",
        )
    )
