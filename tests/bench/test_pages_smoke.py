"""bench-pages runs in CI at tiny sizes (one page a role, one round), so the page-weight
benchmark cannot rot unnoticed. Transactional: gunicorn, another process, reads the rows."""

import json

import pytest

from bench import pages

pytestmark = [
    pytest.mark.browser,
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_pages_benchmark_writes_every_figure(tmp_path):
    output = tmp_path / "pages.json"

    pages.run(pages.SMOKE, output=output)

    results = json.loads(output.read_text())
    assert set(results["pages"]) == {f"{role} /" for role in pages.ROLES}
    for figures in results["pages"].values():
        for visit in ("cold", "warm"):
            assert figures[visit]["kb"] > 0 and figures[visit]["load_s"] > 0
        # The second visit takes the static files from the cache.
        assert figures["warm"]["kb"] < figures["cold"]["kb"]
    for key in ("cold_kb_max", "warm_load_s_max", "intake_step_s", "cold_load_s_max"):
        assert results[key] > 0, key
    assert results["targets"] == pages.TARGETS
