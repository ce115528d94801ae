"""The benchmarks run in CI at tiny sizes, so they cannot rot unnoticed."""

import json

import pytest

from bench import encryption

pytestmark = pytest.mark.django_db


def test_encryption_benchmark_runs_and_writes_every_figure(tmp_path):
    output = tmp_path / "encryption.json"

    encryption.run(encryption.SMOKE, output=output)

    results = json.loads(output.read_text())
    for key in (
        "field_roundtrip_per_s",
        "raw_aesgcm_roundtrip_per_s",
        "orm_load_ratio",
        "orm_load_and_read_ratio",
        "orm_load_and_read_ratio_envelope",
        "blind_index_lookup_p95_ms",
    ):
        assert results[key] > 0, key
    assert (
        results["blind_index_lookups_found"]
        == f"{encryption.SMOKE['lookups']}/{encryption.SMOKE['lookups']}"
    )
    assert results["value_bytes"] == 200
    assert results["envelope_rows"] == encryption.SMOKE["load_rows"]
    assert results["envelope_survivors"] == encryption.SMOKE["survivors"]
