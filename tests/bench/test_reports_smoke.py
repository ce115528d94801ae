"""bench-reports runs in CI at tiny sizes, so the benchmark cannot rot unnoticed."""

import json

import pytest

from bench import reports

pytestmark = pytest.mark.django_db


def test_report_benchmark_writes_every_figure(tmp_path, settings):
    output = tmp_path / "reports.json"

    reports.run(reports.SMOKE, output=output)

    results = json.loads(output.read_text())
    for key in (
        "report_month_by_region_s",
        "report_crosstab_s",
        "pdf_export_s",
        "report_month_by_region_100k_s",
        "report_crosstab_100k_s",
        "pdf_export_100k_s",
        "report_scaling_ratio",
    ):
        assert results[key] > 0, key
    assert results["incidents"] == reports.SMOKE["incidents"]
    assert results["incidents_small"] == reports.SMOKE["small_incidents"]
    assert results["cells_month_by_region"]["month_by_region"] > 0
