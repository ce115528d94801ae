"""One way to say "this page or list reads a fixed number of queries"."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import connection
from django.test.utils import CaptureQueriesContext

T = TypeVar("T")


def _reads(queries: list[dict[str, str]]) -> list[str]:
    """What the page reads. Writes are left out: the session row (and its savepoint) is
    rewritten whenever the idle clock moves on, whatever the page shows."""
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith("SELECT") and '"django_session"' not in q["sql"]
    ]


def assert_queries_do_not_grow(
    fetch: Callable[[], T], grow: Callable[[], object], *, at_most: int
) -> T:
    """Fetch, grow the data, fetch again: the second fetch may not read more queries than
    the first, and the first no more than ``at_most``. Returns the second answer, for the
    caller to check that it really shows the grown rows."""
    fetch()  # warm up: the first request of a session writes what later ones do not
    with CaptureQueriesContext(connection) as small:
        fetch()
    assert len(_reads(small.captured_queries)) <= at_most, _reads(small.captured_queries)
    grow()
    with CaptureQueriesContext(connection) as big:
        answer = fetch()
    before, after = _reads(small.captured_queries), _reads(big.captured_queries)
    assert len(after) <= len(before), after[len(before) :]
    return answer
