"""How a write that takes or changes beds loses a race, and when it is tried again.

PostgreSQL guarantees one active hold or stay per bed: the loser of that race gets
``BedTaken``. It may also end one of several writers that lock the same beds, shelter
and audit chain as a deadlock victim (or a serialization failure): that write was
rolled back whole, so ``retry_on_deadlock`` runs it again, and a third loss is
answered like any lost race. Pages and the API call the same decorated services, so
both retry alike and both answer a lost race with 409.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection
from django.utils.translation import gettext as _

# deadlock_detected, serialization_failure: PostgreSQL rolled the whole write back.
RETRYABLE = frozenset({"40P01", "40001"})
ATTEMPTS = 3

_P = ParamSpec("_P")
_T = TypeVar("_T")
_depth = contextvars.ContextVar("shelters_bed_write_depth", default=0)
_RETRYING: set[Callable[..., object]] = set()


class BedTaken(Exception):
    """Someone else took this bed a moment ago."""

    def __init__(self) -> None:
        super().__init__(_("This bed was just taken. Choose another one."))


def _retryable(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "pgcode", None) in RETRYABLE


def retry_on_deadlock(service: Callable[_P, _T]) -> Callable[_P, _T]:
    """Put it outside ``@transaction.atomic``: each try is a transaction of its own.

    Only the outermost decorated call retries (one service calling another does not
    retry twice); called inside a caller's transaction it cannot start again, so a
    lost deadlock there is a lost race at once.
    """

    @wraps(service)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        if _depth.get():
            return service(*args, **kwargs)
        attempts = 1 if connection.in_atomic_block else ATTEMPTS
        token = _depth.set(1)
        try:
            for attempt in range(attempts):
                try:
                    return service(*args, **kwargs)
                except OperationalError as exc:
                    if not _retryable(exc):
                        raise
                    if attempt == attempts - 1:
                        raise BedTaken from exc
        finally:
            _depth.reset(token)
        raise AssertionError("unreachable")

    _RETRYING.add(run)
    return run


def retries_on_deadlock(service: Callable[..., object]) -> bool:
    return service in _RETRYING
