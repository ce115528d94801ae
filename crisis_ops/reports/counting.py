"""One GROUP BY query per figure and breakdown: counts keyed by the breakdowns' members."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Aggregate, Count, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractQuarter, ExtractYear

from crisis_ops.reports.registry import Figure, Scope, figure_parts

Key = tuple[str, ...]


def count(
    figure: Figure,
    scope: Scope,
    dimensions: tuple[str, ...],
    filters: dict[str, tuple[str, ...]] | None = None,
) -> Counter[Key]:
    """Counts of ``figure`` in ``scope`` by ``dimensions`` (keys are strings)."""
    if figure.counter is not None:
        return figure.counter(scope, dimensions, filters or {})
    # Rows other models add to the figure (registry.register_more_rows), summed in.
    result: Counter[Key] = Counter()
    for part in figure_parts(figure):
        result.update(_count(part, scope, dimensions, filters))
    return result


def _count(
    figure: Figure,
    scope: Scope,
    dimensions: tuple[str, ...],
    filters: dict[str, tuple[str, ...]] | None,
) -> Counter[Key]:
    rows = figure.rows(scope)
    for dim, chosen in (filters or {}).items():
        rows = rows.filter(filter_q(figure, dim, chosen))
    paths: dict[str, Any] = {}
    multi = None
    for dim in dimensions:
        if dim in ("month", "quarter", "year"):
            # Grouped by the dimension itself, so distinct counts are distinct per quarter.
            paths.setdefault("_y", ExtractYear(figure.date_path))
            if dim == "month":
                paths["_m"] = ExtractMonth(figure.date_path)
            elif dim == "quarter":
                paths["_q"] = ExtractQuarter(figure.date_path)
        elif dim == "region" and _region_of_organisation(figure):
            # Grouped by organisation, then each mapped to its region: no join to the
            # organisation and region tables for every row counted.
            paths["_org"] = figure.organisation_path
        elif dim == "region":
            paths["_region"] = figure.region_path
        elif dim == "organisation":
            paths["_org"] = figure.organisation_path
        elif figure.dimensions[dim].multi:
            multi = figure.dimensions[dim]
        else:
            paths[f"_d_{dim}"] = figure.dimensions[dim].path
    expressions = {k: v for k, v in paths.items() if not isinstance(v, str)}
    names = {k: v for k, v in paths.items() if isinstance(v, str)}
    query = rows.annotate(**expressions) if expressions else rows
    grouped = query.values(*expressions, **_aliases(names)) if paths else query
    distinct = figure.distinct_path is not None
    # COUNT(*) when counting rows: an index on the date and the case serves it alone.
    target = figure.distinct_path or "*"
    multi_members = multi.members() if multi is not None else []

    def measure(condition: Q | None = None) -> Aggregate:
        if figure.sum_path is not None:
            return Sum(figure.sum_path, filter=condition)
        # COUNT(*) takes no FILTER in Django: a member of a list counts its rows' keys.
        return Count(
            "pk" if condition is not None and target == "*" else target,
            distinct=distinct,
            filter=condition,
        )

    if multi is not None:
        aggregates = {
            f"_n{i}": measure(Q(**{f"{multi.path}__contains": [v]}))
            for i, (v, _label) in enumerate(multi_members)
        }
    else:
        aggregates = {"_n": measure()}
    result: Counter[Key] = Counter()
    records = grouped.annotate(**aggregates) if paths else [grouped.aggregate(**aggregates)]
    by_organisation = "region" in dimensions and "_region" not in paths
    regions = _regions_by_organisation(scope) if by_organisation else {}
    for record in records.order_by() if paths else records:  # type: ignore[union-attr]
        if by_organisation:
            record["_region"] = regions.get(str(record["_org"]), "")
        members = {
            dim: _member(dim, record) for dim in dimensions if multi is None or dim != multi.key
        }
        if multi is None:
            result[tuple(members[d] for d in dimensions)] += record["_n"] or 0
            continue
        for i, (value, _label) in enumerate(multi_members):
            members[multi.key] = str(value)
            result[tuple(members[d] for d in dimensions)] += record[f"_n{i}"] or 0
    return result


def filter_q(figure: Figure, dim: str, members: tuple[str, ...]) -> Q:
    if dim == "region":
        return Q(**{f"{figure.region_path}__in": members})
    if dim == "organisation":
        return Q(**{f"{figure.organisation_path}__in": members})
    dimension = figure.dimensions[dim]
    if not dimension.multi:
        return Q(**{f"{dimension.path}__in": members})
    q = Q()
    for member in members:
        q |= Q(**{f"{dimension.path}__contains": [member]})
    return q


def _aliases(names: dict[str, str]) -> dict[str, Any]:
    from django.db.models import F

    return {k: F(v) for k, v in names.items()}


def _member(dim: str, record: dict[str, Any]) -> str:
    if dim == "month":
        return f"{record['_y']:04d}-{record['_m']:02d}"
    if dim == "quarter":
        return f"{record['_y']:04d}-Q{record['_q']}"
    if dim == "year":
        return f"{record['_y']:04d}"
    if dim == "region":
        return str(record["_region"])
    if dim == "organisation":
        return str(record["_org"])
    return str(record[f"_d_{dim}"])


def _region_of_organisation(figure: Figure) -> bool:
    """Is the figure's region that of its organisation (not, say, a shelter's own)?"""
    return figure.region_path == figure.organisation_path.removesuffix("_id") + "__region__code"


def _regions_by_organisation(scope: Scope) -> dict[str, str]:
    from crisis_ops.organisations.models import Organisation

    pairs = Organisation.objects.filter(pk__in=scope.organisation_ids).values_list(
        "pk", "region__code"
    )
    return {str(pk): code for pk, code in pairs}
