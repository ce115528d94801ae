"""bench-load runs in the suite at a tiny size (4 users, 12 seconds), so the locustfile,
the sign-in through password and TOTP, and every kind of request cannot rot unnoticed.

Transactional: gunicorn and the worker are real processes, which must see the rows.
"""

import json

import pytest

from bench import load

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_load_benchmark_signs_in_and_works_without_errors(tmp_path):
    output = tmp_path / "load.json"

    load.run(load.SMOKE, output=output)

    results = json.loads(output.read_text())
    assert results["load_users"] == load.SMOKE["users"]
    assert results["load_errors"] == 0, results
    assert results["load_unexpected"] == 0, results["unexpected_examples"]
    assert results["server_errors_logged"] == 0
    assert results["load_rps"] > 0 and results["load_p95_ms"] > 0
    kinds = results["by_kind"]
    # Every simulated user signed in (four requests each); each role's first pages answered.
    assert kinds["sign_in"]["requests"] == 4 * load.SMOKE["users"]
    for kind in ("board_page", "board_refresh"):
        assert kinds[kind]["requests"] >= 1, kind
    assert {"case_list", "case_page", "bed_grid"} & set(kinds), kinds
