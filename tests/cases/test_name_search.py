"""A surname alone finds her: any one word of her name, through the per-word blind index,
exactly (a part of a word finds nobody), with case, spaces and Kazakh letters folded."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases import selectors
from cases.models import Survivor
from crisis_ops.encryption import rotation
from tests.cases.factories import intake

pytestmark = pytest.mark.django_db


def found(user, text: str) -> set[str]:
    return {c.reference for c in selectors.case_list_for_user(user=user, search=text)}


@pytest.fixture
def dinara(personas):
    return intake(
        personas.caseworker,
        personas.center,
        survivor={"full_name": "Оспанова Динара Ерлановна"},
    )


@pytest.fixture
def others(personas):
    return [
        intake(personas.caseworker, personas.center, survivor={"full_name": name})
        for name in ("Оспанов Ерлан Маратович", "Динаргуль Сейтова", "Ерлановна Айжан")
    ]


@pytest.mark.parametrize(
    "typed", ["Оспанова", "Динара", "Ерлановна", "  оспанова ", "ДИНАРА", "динара оспанова"]
)
def test_any_one_word_of_her_name_finds_her(personas, dinara, others, typed):
    refs = found(personas.caseworker, typed)

    assert dinara.reference in refs
    assert others[0].reference not in refs  # Оспанов is another word than Оспанова


@pytest.mark.parametrize("typed", ["Оспан", "Дин", "Динар", "анова", "Оспанова Айжан"])
def test_a_part_of_a_word_or_a_word_not_hers_finds_nobody(personas, dinara, others, typed):
    assert dinara.reference not in found(personas.caseworker, typed)


@pytest.mark.parametrize(
    "stored, typed",
    [
        ("Әсел Нұрланқызы", "асел"),
        ("Ғалия Тоқтарова", "галия"),
        ("Ақерке Сейтқали", "сеиткали"),
        ("Аңсар Жұмабаева", "ансар"),
        ("Өмірзақова Гүлнар", "омирзакова"),
        ("Ұлжан Бекова", "улжан"),
        ("Гүлмира Үсенова", "гулмира"),
        ("Һадиша Асанова", "хадиша"),
        ("Іңкәр Садыкова", "инкар"),
        ("Алёна Петрова", "Алена"),
        ("Алена Петрова", "АЛЁНА"),
        ("Сейткали Айгерим", "Сейтқали"),
    ],
)
def test_kazakh_letters_and_yo_are_folded(personas, stored, typed):
    case = intake(personas.caseworker, personas.center, survivor={"full_name": stored})

    assert case.reference in found(personas.caseworker, typed)


def test_the_search_is_by_token_never_by_the_text(personas, dinara):
    with CaptureQueriesContext(connection) as queries:
        assert dinara.reference in found(personas.caseworker, "Динара")

    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "&&" in sql  # the array overlap the GIN index serves
    assert "LIKE" not in sql.upper()
    assert "Динара" not in sql and "динара" not in sql


def test_the_search_stays_in_her_scope(personas, dinara):
    assert dinara.reference not in found(personas.caseworker_other_center, "Динара")


def test_saving_a_new_name_reindexes_her_words(personas, dinara):
    survivor = dinara.survivor
    survivor.full_name = "Бекова Динара"
    survivor.save()

    assert dinara.reference in found(personas.caseworker, "Бекова")
    assert dinara.reference not in found(personas.caseworker, "Оспанова")


def test_the_command_fills_rows_written_before_the_word_index(personas, dinara, others):
    Survivor.objects.update(name_words=None)  # as rows written before the field existed
    assert dinara.reference not in found(personas.caseworker, "Динара")
    report = rotation.verify(models=[Survivor])
    assert len(report.index_mismatch) == 4  # verification notices them

    out = io.StringIO()
    call_command("fill_word_indexes", batch_size=2, stdout=out)

    assert dinara.reference in found(personas.caseworker, "Динара")
    assert rotation.verify(models=[Survivor]).index_mismatch == []
    assert Survivor.objects.filter(name_words__isnull=True).count() == 0
    assert "Filled: 4 rows" in out.getvalue()


def test_the_word_index_is_gin_indexed():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname = %s",
            [Survivor._meta.db_table, "cases_survivor_name_words"],
        )
        [(definition,)] = cursor.fetchall()

    assert "USING gin (name_words)" in definition
