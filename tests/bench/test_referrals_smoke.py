"""bench-referrals runs in CI at tiny sizes, so the benchmark cannot rot unnoticed."""

import json

import pytest

from bench import referrals

pytestmark = pytest.mark.django_db


def test_referral_benchmark_writes_every_figure(tmp_path):
    output = tmp_path / "referrals.json"

    referrals.run(referrals.SMOKE, output=output)

    results = json.loads(output.read_text())
    for key in ("incoming_list_p95_ms", "case_list_ratio_with_grants"):
        assert results[key] > 0, key
    sizes = referrals.SMOKE
    assert results["cases"] == sizes["organisations"] * sizes["cases_per_org"]
    assert results["referrals"] == results["cases"] * sizes["referrals_per_case"]
    assert results["granted_cases"] == sizes["granted"]
    assert results["incoming_list_rows"] == 50
    assert results["case_list_queries_with_grants"] == results["case_list_queries_without_grants"]
