"""bench-cases runs in CI at tiny sizes, so the case-list benchmark cannot rot unnoticed.

One run, several checks: seeding and measuring take seconds even at smoke sizes.
"""

import json

import pytest

from bench import cases

pytestmark = pytest.mark.django_db


def test_case_list_benchmark_writes_every_figure_with_constant_queries_and_found_phones(
    tmp_path,
):
    output = tmp_path / "cases.json"

    cases.run(cases.SMOKE, output=output)

    results = json.loads(output.read_text())
    for key in (
        "case_list_p95_ms",
        "case_list_plain_p95_ms",
        "case_list_ratio",
        "case_list_queries",
        "phone_search_p95_ms",
        "phone_search_plain_p95_ms",
    ):
        assert results[key] > 0, key
    assert results["cases"] == cases.SMOKE["organisations"] * cases.SMOKE["cases_per_org"]
    assert results["case_list_rows"] == 50
    # Measured with per-survivor keys: every survivor's values under her own data key.
    assert results["survivors_under_own_key"] == results["cases"]
    assert results["survivors_under_keyring_key"] == 0
    # Queries do not grow with the page, and the plain mirror makes the same ones.
    by_size = results["case_list_queries_by_page_size"]
    assert by_size["10"] == by_size["50"] == results["case_list_queries"]
    assert results["case_list_plain_queries"] == results["case_list_queries"]
    searches = cases.SMOKE["searches"]
    assert results["phone_search_found"] == f"{searches}/{searches}"
