"""make bench-reports: advocacy reports end to end at 1,000,000 and at 100,000 incidents.

Seeds (once, into crisis_ops_bench_reports; bench/reports_seed.py) two networks of 20
centers over 36 months: A with 1,000,000 incidents, B with 100,000. Measures, as each
network's coordinator, through crisis_ops.reports.services.report_run_create (definition
checks, the GROUP BY, suppression with its audit, baseline, paragraph, the stored run):
- report_month_by_region_s: incidents, the last 12 months, by month and region;
- report_crosstab_s: incidents over the last 12 months, violence type x relationship;
- pdf_export_s: the export job of the first run as PDF (render, encrypt, store);
each at 1M and at 100k (``*_100k``), and report_scaling_ratio = the slower report's time at
1M / its time at 100k. Medians of interleaved rounds.

Run: python -m bench.reports [--smoke]. Results: bench/results/reports.json.
"""

from __future__ import annotations

import datetime
from typing import Any

from bench import common

FULL = {"organisations": 20, "incidents": 1_000_000, "small_incidents": 100_000, "rounds": 5}
SMOKE = {"organisations": 3, "incidents": 1_200, "small_incidents": 120, "rounds": 1}


def _definition(organisations: list[Any], breakdowns: list[str]) -> dict[str, Any]:
    from django.utils import timezone

    last = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    first = (last.replace(day=1) - datetime.timedelta(days=330)).replace(day=1)
    return {
        "figure": "incidents",
        "start": first.strftime("%Y-%m"),
        "end": last.strftime("%Y-%m"),
        "breakdowns": breakdowns,
        "organisations": [str(o.pk) for o in organisations],
        "language": "ru",
    }


def _timers(network: dict[str, Any]) -> dict[str, Any]:
    from crisis_ops.report_exports import services as export_services
    from crisis_ops.report_exports.models import ReportExport
    from crisis_ops.reports.services import report_run_create

    user, orgs = network["coordinator"], network["organisations"]
    by_region = _definition(orgs, ["month", "region"])
    crosstab = _definition(orgs, ["violence_type", "relationship"])
    first = report_run_create(user=user, data=by_region)
    assert first.result is not None
    cells: list[list[dict[str, Any]]] = first.result["cells"]
    network["cells"] = {
        "month_by_region": sum(len(row) for row in cells),
        "suppressed": sum(int(c["suppressed"]) for row in cells for c in row),
    }

    def pdf() -> None:
        export = ReportExport.objects.create(
            run_id=first.pk, report=first.result, requested_by=user, format="pdf"
        )
        export_services.export_build(export_id=export.pk)

    return {
        "month_by_region": lambda: report_run_create(user=user, data=by_region),
        "crosstab": lambda: report_run_create(user=user, data=crosstab),
        "pdf": pdf,
    }


def measure(large: dict[str, Any], small: dict[str, Any], rounds: int) -> dict[str, Any]:
    from bench.common import interleaved_medians

    timers = {
        **{f"{k}_1m": v for k, v in _timers(large).items()},
        **{f"{k}_100k": v for k, v in _timers(small).items()},
    }
    for fn in timers.values():  # warm the caches and the plans once
        fn()
    t = interleaved_medians(timers, rounds)
    ratio = max(
        t["month_by_region_1m"] / t["month_by_region_100k"], t["crosstab_1m"] / t["crosstab_100k"]
    )
    return {
        "report_month_by_region_s": round(t["month_by_region_1m"], 3),
        "report_crosstab_s": round(t["crosstab_1m"], 3),
        "pdf_export_s": round(t["pdf_1m"], 3),
        "report_month_by_region_100k_s": round(t["month_by_region_100k"], 3),
        "report_crosstab_100k_s": round(t["crosstab_100k"], 3),
        "pdf_export_100k_s": round(t["pdf_100k"], 3),
        "report_scaling_ratio": round(ratio, 2),
        "cells_month_by_region": large["cells"],
    }


def run(sizes: dict[str, int], output: Any = None) -> dict[str, Any]:
    import tempfile

    from django.conf import settings

    from bench.common import write_results
    from bench.reports_seed import seed_network

    settings.REPORT_EXPORT_DIR = tempfile.mkdtemp(prefix="bench-report-exports-")
    large = seed_network("A", organisations=sizes["organisations"], incidents=sizes["incidents"])
    small = seed_network(
        "B", organisations=sizes["organisations"], incidents=sizes["small_incidents"]
    )
    results: dict[str, Any] = {
        "sizes": sizes,
        "incidents": large["incidents"],
        "incidents_small": small["incidents"],
        "seed_s": round(large["seed_s"] + small["seed_s"], 1),
        **measure(large, small, sizes["rounds"]),
        "targets": {
            "report_month_by_region_s_below": 2,
            "report_crosstab_s_below": 2,
            "pdf_export_s_below": 10,
            "report_scaling_ratio_below": 5,
        },
    }
    write_results("reports", results, output)
    return results


def main() -> None:
    common.main(__doc__, database="crisis_ops_bench_reports", run=run, full=FULL, smoke=SMOKE)


if __name__ == "__main__":
    main()
