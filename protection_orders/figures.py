"""Protection-order figures for reports; registered from the app's ready()."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.figures import consented
from crisis_ops.reports.registry import Dimension, Figure, Scope, register_figure
from protection_orders.models import PoliceCheck, ProtectionOrder, Violation


def _orders(scope: Scope, date_path: str) -> QuerySet[ProtectionOrder]:
    return ProtectionOrder.objects.filter(
        case__organisation_id__in=scope.organisation_ids,
        **{f"{date_path}__gte": scope.start, f"{date_path}__lte": scope.end},
    ).filter(consented("case"))


def _violated(scope: Scope) -> QuerySet[ProtectionOrder]:
    return _orders(scope, "issued_on").filter(
        Exists(Violation.objects.filter(order_id=OuterRef("pk")))
    )


def _checks(scope: Scope) -> QuerySet[PoliceCheck]:
    return PoliceCheck.objects.filter(
        order__case__organisation_id__in=scope.organisation_ids,
        checked_on__gte=scope.start,
        checked_on__lte=scope.end,
    ).filter(consented("order__case"))


def _order_figure(key: str, label: object, rows: object, date_path: str, **kw: object) -> Figure:
    return Figure(
        key=key,
        label=label,  # type: ignore[arg-type]
        rows=rows,  # type: ignore[arg-type]
        date_path=date_path,
        organisation_path="case__organisation_id",
        region_path="case__organisation__region__code",
        **kw,  # type: ignore[arg-type]
    )


def register() -> None:
    register_figure(
        _order_figure(
            "orders_issued",
            _("Protection orders issued"),
            lambda s: _orders(s, "issued_on"),
            "issued_on",
            noun=lambda n: ngettext("%(count)s protection order", "%(count)s protection orders", n),
        )
    )
    register_figure(
        _order_figure(
            "orders_expired",
            _("Protection orders expired"),
            lambda s: _orders(s, "expires_on").filter(
                status__in=[ProtectionOrder.Status.EXPIRED, ProtectionOrder.Status.SUPERSEDED]
            ),
            "expires_on",
        )
    )
    register_figure(
        _order_figure(
            "orders_violated",
            _("Protection orders issued that were violated"),
            _violated,
            "issued_on",
        )
    )
    register_figure(
        _order_figure(
            "violation_rate",
            _("Violation rate of protection orders (%)"),
            _violated,
            "issued_on",
            denominator="orders_issued",
            unit="percent",
        )
    )
    register_figure(
        Figure(
            key="police_checks",
            label=_("Police checks recorded"),
            rows=_checks,
            date_path="checked_on",
            organisation_path="order__case__organisation_id",
            region_path="order__case__organisation__region__code",
            dimensions={
                "check_outcome": Dimension(
                    "check_outcome", _("Outcome"), "outcome", PoliceCheck.Outcome.choices
                )
            },
        )
    )
    register_figure(
        Figure(
            key="police_check_compliance",
            label=_("Police checks done (% of checks due)"),
            rows=lambda s: _checks(s).exclude(outcome=PoliceCheck.Outcome.NOT_DONE),
            date_path="checked_on",
            organisation_path="order__case__organisation_id",
            region_path="order__case__organisation__region__code",
            denominator="police_checks",
            unit="percent",
        )
    )
