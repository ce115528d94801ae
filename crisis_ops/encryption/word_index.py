"""Filling a per-word blind index for rows written before it existed.

save() keeps a ``BlindWordIndexField`` up to date; rows older than the field have none
(NULL) and are found by no word until this runs (``manage.py fill_word_indexes``). Work
goes in batches ordered by primary key, each in its own transaction; a row is written
only while its index is still empty, so a run can be stopped and started again.
"""

from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.db import models, transaction

from crisis_ops.encryption.blind_index import BlindWordIndexField
from crisis_ops.encryption.cipher import EncryptionError
from crisis_ops.encryption.fields import preload_data_keys

# (model label, rows looked at in this model, rows to look at in this model)
Progress = Callable[[str, int, int], None]


def word_index_fields(model: type[models.Model]) -> list[BlindWordIndexField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, BlindWordIndexField)]


def fill_word_indexes(*, batch_size: int = 500, progress: Progress | None = None) -> int:
    """Compute every empty per-word index of every model; returns the rows filled."""
    filled = 0
    for model in apps.get_models():
        for field in word_index_fields(model):
            filled += _fill(model, field, batch_size, progress)
    return filled


def _fill(
    model: type[models.Model],
    field: BlindWordIndexField,
    batch_size: int,
    progress: Progress | None,
) -> int:
    source = model._meta.get_field(field.source)
    assert isinstance(source, models.Field)
    empty = model._base_manager.filter(**{f"{field.attname}__isnull": True}).exclude(
        **{f"{source.attname}__isnull": True}
    )
    total, done, filled, after = empty.count(), 0, 0, None
    rows = empty.order_by("pk").only("pk", source.attname)
    while True:
        batch = list((rows.filter(pk__gt=after) if after else rows)[:batch_size])
        if not batch:
            return filled
        preload_data_keys(batch)
        with transaction.atomic():
            for obj in batch:
                try:
                    tokens = field.token_for(obj)
                except EncryptionError:
                    continue  # her key was destroyed: the row awaits its deletion
                if tokens is not None:
                    filled += empty.filter(pk=obj.pk).update(**{field.attname: tokens})
        after = batch[-1].pk
        done += len(batch)
        if progress:
            progress(model._meta.label, done, total)
