"""Protection-order figures for reports; registered from the app's ready().

Police-check compliance is checks done on time ÷ checks due. The due dates are not rows:
each order's schedule (every check interval from issue until expiry) is computed as the
order page computes it (selectors.check_schedule), so a due date counts as met when a
check that was done falls in the interval ending that day. Only past due dates are due;
a revoked order owes none after it was revoked, an extended one none after its
extension was issued (the new order owes them).
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterator

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.figures import consented
from crisis_ops.reports.registry import (
    Dimension,
    Figure,
    Key,
    Place,
    Record,
    Scope,
    register_figure,
    tally,
)
from protection_orders.models import PoliceCheck, ProtectionOrder, Violation
from protection_orders.selectors import check_schedule


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
    place: Place = {
        "date_path": "",
        "organisation_path": "case__organisation_id",
        "region_path": "case__organisation__region__code",
    }
    register_figure(
        Figure(
            key="police_checks_due",
            label=_("Police checks due"),
            rows=_orders_running,
            counter=lambda scope, dims, filters: tally(
                _due_dates(scope, met_only=False), dims, filters
            ),
            noun=lambda n: ngettext("%(count)s police check due", "%(count)s police checks due", n),
            excluded=_left_out_orders,
            **place,
        )
    )
    register_figure(
        Figure(
            key="police_check_compliance",
            label=_("Police checks done on time (% of checks due)"),
            rows=_orders_running,
            counter=_checks_on_time,
            excluded=_left_out_orders,
            denominator="police_checks_due",
            unit="percent",
            **place,
        )
    )


def _running(scope: Scope) -> QuerySet[ProtectionOrder]:
    return ProtectionOrder.objects.filter(
        case__organisation_id__in=scope.organisation_ids,
        issued_on__lte=scope.end,
        expires_on__gte=scope.start,
    )


def _orders_running(scope: Scope) -> QuerySet[ProtectionOrder]:
    return _running(scope).filter(consented("case"))


def _left_out_orders(scope: Scope) -> int:
    return _running(scope).exclude(consented("case")).values("case_id").distinct().count()


def _due_dates(scope: Scope, *, met_only: bool) -> Iterator[Record]:
    """One record per check due in the scope (and already past), or per one met in time."""
    today = timezone.localdate()
    orders = (
        _orders_running(scope)
        .select_related("order_type", "case__organisation__region", "extension")
        .prefetch_related("checks")
        .order_by()
    )
    for order in orders:
        owed_until = _owed_until(order)
        organisation = order.case.organisation
        for scheduled in check_schedule(order=order, checks=order.checks.all()):
            due = scheduled.due_on
            if not (scope.start <= due <= scope.end and due < today and due <= owed_until):
                continue
            if met_only and scheduled.covered_by is None:
                continue
            yield Record(due, str(organisation.pk), organisation.region.code)


def _owed_until(order: ProtectionOrder) -> datetime.date:
    if order.status == ProtectionOrder.Status.REVOKED:
        return timezone.localtime(order.updated_at).date()
    if order.status == ProtectionOrder.Status.SUPERSEDED:
        extension: ProtectionOrder | None = getattr(order, "extension", None)
        if extension is not None:
            return extension.issued_on - datetime.timedelta(days=1)
    return order.expires_on


def _checks_on_time(
    scope: Scope, dims: tuple[str, ...], filters: dict[str, tuple[str, ...]]
) -> Counter[Key]:
    return tally(_due_dates(scope, met_only=True), dims, filters)
