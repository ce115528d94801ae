"""bench-reminders runs in CI at tiny sizes, so the sweep benchmark cannot rot unnoticed.

Transactional: the benchmark starts a real worker process, which must see its rows.
"""

import json

import pytest

from bench import reminders

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_reminders_benchmark_writes_every_figure(tmp_path):
    output = tmp_path / "reminders.json"

    reminders.run(reminders.SMOKE, output=output)

    results = json.loads(output.read_text())
    for key in (
        "sweep_s_10k",
        "sweep_s_100k",
        "sweep_scaling_ratio",
        "sweep_s_100k_below_limit",
        "sends_per_s",
        "enqueue_s_per_1k",
    ):
        assert results[key] > 0, key
    assert results["orders_10k"] == reminders.SMOKE["orders_small"]
    assert results["orders_100k"] == reminders.SMOKE["orders_large"]
    assert results["due"] == reminders.SMOKE["due"]
    assert results["sends"] == reminders.SMOKE["sends"]
