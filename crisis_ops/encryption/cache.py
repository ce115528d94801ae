"""This process's unwrapped data keys: a small LRU with a time limit.

``ENCRYPTION_KEY_CACHE_SIZE`` keys, each for ``ENCRYPTION_KEY_CACHE_SECONDS`` from the time it
was unwrapped. Destroying a survivor's key evicts it here in the process that destroys it;
every other process loses its copy when the entry expires (``crisis_ops.encryption.data_keys``).
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings


class KeyCache:
    """Least recently used entries, each for at most ``seconds`` after it was stored.

    Reads take no lock (the GIL makes each dict operation atomic); inserts and
    evictions do. A clock that goes backwards expires an entry rather than extending it.
    """

    def __init__(
        self, *, size: int, seconds: float, clock: Callable[[], float] = time.time
    ) -> None:
        self.size = max(1, size)
        self.seconds = seconds
        self.clock = clock
        self._entries: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable) -> Any:
        # On every encrypted value read: kept to a dict read, a clock read and a move.
        entry = self._entries.get(key)
        if entry is None:
            return None
        age = self.clock() - entry[0]
        if not 0 <= age < self.seconds:
            self._entries.pop(key, None)
            return None
        try:  # noqa: SIM105 - suppress() builds a context manager per read: a third of it
            self._entries.move_to_end(key)
        except KeyError:  # evicted by another thread meanwhile
            pass
        return entry[1]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._entries[key] = (self.clock(), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def discard_where(self, predicate: Callable[[Any], bool]) -> int:
        with self._lock:
            doomed = [k for k, (_, value) in self._entries.items() if predicate(value)]
            for k in doomed:
                del self._entries[k]
        return len(doomed)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def reset_after_fork(self) -> None:
        self._lock = threading.Lock()


_cache: KeyCache | None = None


def key_cache() -> KeyCache:
    """This process's cache, sized from the settings on first use."""
    global _cache
    if _cache is None:
        _cache = KeyCache(
            size=settings.ENCRYPTION_KEY_CACHE_SIZE, seconds=settings.ENCRYPTION_KEY_CACHE_SECONDS
        )
    return _cache


def reset_key_cache() -> None:
    """Forget every unwrapped key and re-read the cache settings on next use."""
    global _cache
    _cache = None


def _after_fork() -> None:
    if _cache is not None:
        _cache.reset_after_fork()


os.register_at_fork(after_in_child=_after_fork)
