"""The purge takes her per-word name tokens with her: no row is left that a search by a
word of her name could reach."""

import datetime

from django.db import connection

from cases.models import Survivor
from crisis_ops.retention import purge
from crisis_ops.retention.models import PurgeJob
from tests.retention.factories import closed_case


def test_the_purge_removes_her_name_word_tokens(personas, destroyed_keys):
    case = closed_case(
        personas.caseworker,
        personas.center,
        datetime.date(2020, 1, 1),
        survivor={"full_name": "Оспанова Динара"},
    )
    field = Survivor._meta.get_field("name_words")
    tokens = field.word_tokens("оспанова")
    assert Survivor.objects.filter(pk=case.survivor_id, name_words__overlap=tokens).exists()

    purge.purge_survivors(
        organisation_id=personas.center.pk,
        survivor_ids=[case.survivor_id],
        kind=PurgeJob.Kind.RETENTION,
    )

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {Survivor._meta.db_table} WHERE name_words && %s",
            [tokens],
        )
        assert cursor.fetchone() == (0,)
    assert destroyed_keys == [case.survivor_id]
