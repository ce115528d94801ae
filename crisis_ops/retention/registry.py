"""What each domain app contributes to retention, registered from its AppConfig.ready().

The retention module never imports a domain model. An app registers:

- ``register_case_source(cases=, find=)`` — the one app that owns cases says, for a set of
  organisations, every case's facts (id, reference, survivor, status, when it closed), and
  finds one case by its reference for the erasure form;
- ``register_case_kind(key, label=, cases=)`` — a kind of case the policy may keep for a
  different number of years ("with a protection order"); ``cases(case_ids)`` says which of
  those cases are of that kind;
- ``register_hold(key, label=, held=)`` — a legal hold: ``held(case_ids)`` returns, for the
  cases it blocks, why (a text with identifiers only, never a name);
- ``register_purger(key, order=, purge=)`` — ``purge(survivor_ids)`` deletes that app's rows
  of those survivors (inside the purge's transaction, lowest ``order`` first) and returns
  the ids it deleted by model label, so notifications and reminders naming them go too and
  the content-free record can count them;
- ``register_export_files(key, delete=)`` — ``delete(survivor_ids, case_ids)`` deletes every
  stored export file that holds one of those survivors and returns how many.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.functional import Promise

Text = str | Promise
Ids = Sequence[uuid.UUID]
# What a purger deleted: model label -> (survivor id, row id) for every row.
Deleted = dict[str, list[tuple[uuid.UUID, uuid.UUID]]]


@dataclass(frozen=True)
class CaseFacts:
    case_id: uuid.UUID
    reference: str
    survivor_id: uuid.UUID
    organisation_id: uuid.UUID
    is_closed: bool
    closed_at: datetime.datetime | None


@dataclass(frozen=True)
class CaseSource:
    # cases(organisation_ids=, survivor_ids=None) -> every case of those organisations
    # (or only of those survivors).
    cases: Callable[..., Iterable[CaseFacts]]
    # find(organisation_ids=, reference=) -> the case with that reference, or None.
    find: Callable[..., CaseFacts | None]


@dataclass(frozen=True)
class CaseKind:
    key: str
    label: Text
    cases: Callable[[Ids], set[uuid.UUID]]


@dataclass(frozen=True)
class Hold:
    key: str
    label: Text
    held: Callable[[Ids], dict[uuid.UUID, list[str]]]


@dataclass(frozen=True)
class Purger:
    key: str
    order: int
    purge: Callable[[Ids], Deleted]


@dataclass(frozen=True)
class ExportFiles:
    key: str
    delete: Callable[[Ids, Ids], int]


@dataclass
class _Registry:
    source: CaseSource | None = None
    kinds: dict[str, CaseKind] = field(default_factory=dict)
    holds: dict[str, Hold] = field(default_factory=dict)
    purgers: dict[str, Purger] = field(default_factory=dict)
    exports: dict[str, ExportFiles] = field(default_factory=dict)


_REGISTRY = _Registry()


def register_case_source(
    *, cases: Callable[..., Iterable[CaseFacts]], find: Callable[..., CaseFacts | None]
) -> None:
    _REGISTRY.source = CaseSource(cases=cases, find=find)


def register_case_kind(key: str, *, label: Text, cases: Callable[[Ids], set[uuid.UUID]]) -> None:
    _REGISTRY.kinds[key] = CaseKind(key, label, cases)


def register_hold(
    key: str, *, label: Text, held: Callable[[Ids], dict[uuid.UUID, list[str]]]
) -> None:
    _REGISTRY.holds[key] = Hold(key, label, held)


def register_purger(key: str, *, order: int, purge: Callable[[Ids], Deleted]) -> None:
    _REGISTRY.purgers[key] = Purger(key, order, purge)


def register_export_files(key: str, *, delete: Callable[[Ids, Ids], int]) -> None:
    _REGISTRY.exports[key] = ExportFiles(key, delete)


def case_source() -> CaseSource:
    if _REGISTRY.source is None:
        raise LookupError("No app registered the cases retention works on.")
    return _REGISTRY.source


def case_kinds() -> list[CaseKind]:
    return list(_REGISTRY.kinds.values())


def holds() -> list[Hold]:
    return list(_REGISTRY.holds.values())


def purgers() -> list[Purger]:
    return sorted(_REGISTRY.purgers.values(), key=lambda p: (p.order, p.key))


def export_files() -> list[ExportFiles]:
    return list(_REGISTRY.exports.values())
