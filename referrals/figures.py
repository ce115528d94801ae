"""Referral figures for reports: by partner kind, status, outcome and answer time, and
how long partners take to answer; registered from ready().

Answer time is the mean number of days from sending to the answer (accept or decline),
over the referrals answered: the hours add up across months, regions and partner kinds,
so every total is the mean of its cells and is hidden with the count it rests on.
"""

from __future__ import annotations

import datetime

from django.db.models import Case, F, FloatField, Func, QuerySet, Value, When
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from cases.figures import consented
from crisis_ops.reports.registry import Dimension, Figure, Place, Scope, register_figure
from referrals.choices import Outcome
from referrals.models import PartnerKind, Referral

# Bands of the time to an answer; they never overlap (upper bounds exclusive).
ANSWER_BANDS = (
    ("under_1_day", _("Within a day"), datetime.timedelta(days=1)),
    ("1_3_days", _("1 to 3 days"), datetime.timedelta(days=3)),
    ("3_7_days", _("3 to 7 days"), datetime.timedelta(days=7)),
    ("7_days_plus", _("7 days or more"), None),
)
NOT_ANSWERED = ("not_answered", _("Not answered"))


def _sent(scope: Scope) -> QuerySet[Referral]:
    return Referral.objects.filter(
        kind=Referral.Kind.REFERRAL,  # a transfer request is no referral sent to a partner
        from_organisation_id__in=scope.organisation_ids,
        sent_at__date__gte=scope.start,
        sent_at__date__lte=scope.end,
    )


def _referrals(scope: Scope) -> QuerySet[Referral]:
    waited = F("answered_at") - F("sent_at")
    band = Case(
        When(answered_at__isnull=True, then=Value(NOT_ANSWERED[0])),
        *(
            When(**{"answered_at__lt": F("sent_at") + limit}, then=Value(key))
            for key, _label, limit in ANSWER_BANDS
            if limit is not None
        ),
        default=Value(ANSWER_BANDS[-1][0]),
    )
    hours = Func(waited, template="EXTRACT(EPOCH FROM %(expressions)s) / 3600.0")
    return (
        _sent(scope)
        .filter(consented("case"))
        .annotate(
            answer_band=band, answer_hours=Func(hours, function="", output_field=FloatField())
        )
    )


def _answered(scope: Scope) -> QuerySet[Referral]:
    return _referrals(scope).filter(answered_at__isnull=False)


def _left_out(scope: Scope) -> int:
    return _sent(scope).exclude(consented("case")).values("case_id").distinct().count()


def _partner_kinds() -> list[tuple[str, str]]:
    language = (get_language() or "ru")[:2]
    return [
        (kind.code, getattr(kind, f"name_{language}", "") or kind.name_en)
        for kind in PartnerKind.objects.order_by("position", "code")
    ]


_PARTNER_KIND = Dimension("partner_kind", _("Partner kind"), "partner__kind__code", _partner_kinds)
_PLACE: Place = {
    "date_path": "sent_at",
    "organisation_path": "from_organisation_id",
    "region_path": "from_organisation__region__code",
}


def register() -> None:
    register_figure(
        Figure(
            key="referrals",
            label=_("Referrals sent"),
            rows=_referrals,
            noun=lambda n: ngettext("%(count)s referral", "%(count)s referrals", n),
            excluded=_left_out,
            dimensions={
                "partner_kind": _PARTNER_KIND,
                "referral_status": Dimension(
                    "referral_status", _("Status"), "status", Referral.Status.choices
                ),
                "referral_outcome": Dimension(
                    "referral_outcome",
                    _("Outcome"),
                    "outcome",
                    [("", _("No outcome yet")), *Outcome.choices],
                ),
                "answer_time": Dimension(
                    "answer_time",
                    _("Time to an answer"),
                    "answer_band",
                    [*((k, label) for k, label, _limit in ANSWER_BANDS), NOT_ANSWERED],
                ),
            },
            **_PLACE,
        )
    )
    register_figure(
        Figure(
            key="referrals_answered_in_time",
            label=_("Referrals answered before the deadline (%)"),
            rows=lambda s: _referrals(s).filter(
                answered_at__isnull=False, answered_at__lte=F("answer_due_at")
            ),
            dimensions={"partner_kind": _PARTNER_KIND},
            excluded=_left_out,
            denominator="referrals",
            unit="percent",
            **_PLACE,
        )
    )
    register_figure(
        Figure(
            key="referrals_answered",
            label=_("Referrals answered"),
            rows=_answered,
            dimensions={"partner_kind": _PARTNER_KIND},
            excluded=_left_out,
            noun=lambda n: ngettext(
                "%(count)s referral answered", "%(count)s referrals answered", n
            ),
            **_PLACE,
        )
    )
    register_figure(
        Figure(
            key="referral_answer_days",
            label=_("Mean days from sending a referral to its answer"),
            rows=_answered,
            sum_path="answer_hours",
            dimensions={"partner_kind": _PARTNER_KIND},
            excluded=_left_out,
            denominator="referrals_answered",
            scale=1 / 24,
            unit="days",
            personal=False,
            **_PLACE,
        )
    )
