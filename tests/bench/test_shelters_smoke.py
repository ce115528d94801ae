"""bench-shelters runs in CI at tiny sizes, so the board and race benchmark cannot rot unnoticed.

Transactional: the race goes through a real gunicorn process, which must see the rows.
"""

import json

import pytest

from bench import shelters

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_shelters_benchmark_writes_the_board_and_race_figures(tmp_path):
    output = tmp_path / "shelters.json"

    shelters.run(shelters.SMOKE, output=output)

    results = json.loads(output.read_text())
    for key in ("board_p95_ms", "board_selector_p95_ms", "board_naive_p95_ms", "race_wall_ms"):
        assert results[key] > 0, key
    smoke = shelters.SMOKE
    assert results["shelters"] == results["board_rows"] == smoke["shelters"]
    beds_per_shelter = smoke["rooms_per_shelter"] * smoke["beds_per_room"]
    assert results["beds"] == smoke["shelters"] * beds_per_shelter
    # The naive loop asks once per shelter; the board's few queries do not grow with them.
    assert results["board_naive_queries"] >= smoke["shelters"]
    assert results["board_selector_queries"] < results["board_naive_queries"]
    assert results["board_queries"] > 0 and results["board_rows_p95_ms"] > 0
    assert results["race_requests"] == smoke["race_requests"]
    assert results["race_beds"] == smoke["race_beds"]
    assert results["race_successes"] == results["race_holds_in_db"] == smoke["race_beds"]
    assert results["race_holds_on_the_free_beds"] == smoke["race_beds"]
    assert results["race_409"] == smoke["race_requests"] - smoke["race_beds"]
    assert results["race_5xx"] == 0
