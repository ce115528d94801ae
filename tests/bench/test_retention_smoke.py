"""bench-retention runs in CI at tiny sizes, so the purge benchmark cannot rot unnoticed."""

import json

import pytest

from bench import retention

pytestmark = pytest.mark.django_db(databases=["default", "keystore"])


def test_the_purge_benchmark_purges_every_chosen_survivor_and_writes_the_rate(tmp_path):
    output = tmp_path / "retention.json"

    retention.run(retention.SMOKE, output=output)

    results = json.loads(output.read_text())
    assert results["purged"] == retention.SMOKE["purged"]
    assert results["purge_per_s"] > 0
    sizes = retention.SMOKE
    assert results["survivors"] == sizes["organisations"] * sizes["survivors_per_org"]
    from cases.models import Survivor

    assert Survivor.objects.count() == results["survivors"] - sizes["purged"]
