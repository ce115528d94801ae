"""The letter paragraph in kk, ru and en: plural forms, number formats, published figures."""

import datetime

import pytest
from django.utils import translation

from crisis_ops.organisations.models import Organisation
from crisis_ops.reports.definition import Definition
from crisis_ops.reports.paragraph import count_phrase, paragraph_text
from crisis_ops.reports.registry import figure_get
from crisis_ops.reports.result import Axis, BaselineEntry, Cell, PublishedReport

INCIDENTS = {
    "en": {
        1: "1 incident",
        2: "2 incidents",
        5: "5 incidents",
        21: "21 incidents",
        199: "199 incidents",
    },
    "ru": {
        1: "1 инцидент",
        2: "2 инцидента",
        5: "5 инцидентов",
        21: "21 инцидент",
        199: "199 инцидентов",
    },
    "kk": {1: "1 оқиға", 2: "2 оқиға", 5: "5 оқиға", 21: "21 оқиға", 199: "199 оқиға"},
}
NEW_CASES = {
    "ru": {
        1: "1 новое дело",
        2: "2 новых дела",
        5: "5 новых дел",
        21: "21 новое дело",
        199: "199 новых дел",
    },
}


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("n", [1, 2, 5, 21, 199])
def test_counts_take_the_languages_plural_form(language, n):
    with translation.override(language):
        assert count_phrase(figure_get("incidents"), n, language) == INCIDENTS[language][n]


@pytest.mark.parametrize("n", [1, 2, 5, 21, 199])
def test_russian_new_cases_agree_in_gender_and_number(n):
    with translation.override("ru"):
        assert count_phrase(figure_get("new_cases"), n, "ru") == NEW_CASES["ru"][n]


def _march(value, *, language, mean=159.0, pct=25.2, hidden=False):
    cell = Cell(None, "<5", True) if hidden else Cell(value, str(value))
    entry = BaselineEntry(
        month="2020-03",
        value=cell.value,
        previous_3_mean=mean,
        previous_3_change=None if hidden else value - mean,
        previous_3_change_pct=None if hidden else pct,
        year_ago=None,
        year_ago_change=None,
        year_ago_change_pct=None,
        direction="" if hidden else ("up" if pct > 0 else "down"),
        words="",
    )
    return PublishedReport(
        figure_key="incidents",
        figure_label="Incidents",
        unit="count",
        period_start="2020-03",
        period_end="2020-03",
        granularity="month",
        rows=Axis("month", "Month", ("2020-03",), ("March 2020",)),
        columns=None,
        cells=((cell,),),
        row_totals=(),
        column_totals=(),
        grand_total=cell,
        excluded_for_consent=0,
        baseline=(entry,),
        paragraph="",
        language=language,
        generated_at="2020-04",
    )


def _paragraph(report):
    definition = Definition(
        figure=figure_get("incidents"),
        start=datetime.date(2020, 3, 1),
        end=datetime.date(2020, 3, 31),
        breakdowns=("month",),
        language=report.language,
    )
    centers = [
        Organisation(name="A", region=_region("Astana", "Астана", "Астана")),
        Organisation(name="B", region=_region("Almaty", "Алматы", "Алматы")),
    ]
    with translation.override(report.language):
        return paragraph_text(report, centers, definition)


def _region(en, ru, kk):
    from crisis_ops.organisations.models import Region

    return Region(name_en=en, name_ru=ru, name_kk=kk)


EXPECTED_199 = {
    "en": "In March 2020 the centers of the network (Almaty, Astana) recorded 199 incidents,"
    " 25.2 % more than the average of the three months before (159).",
    "ru": "В марте 2020 года центры сети (Алматы, Астана) зарегистрировали 199 инцидентов"
    " — на 25,2 % больше, чем в среднем за три предыдущих месяца (159).",
    "kk": "2020 жылғы наурызда желі орталықтарында (Алматы, Астана) 199 оқиға тіркелді"
    " — бұл алдыңғы үш айдың орташа деңгейінен (159) 25,2 %-ға көп.",
}


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_paragraph_for_march_2020_reads_as_in_the_letter(language):
    assert _paragraph(_march(199, language=language)) == EXPECTED_199[language]


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "en",
            "In March 2020 the centers of the network (Almaty, Astana) recorded 21 incidents,"
            " 12.5 % fewer than the average of the three months before (24).",
        ),
        (
            "ru",
            "В марте 2020 года центры сети (Алматы, Астана) зарегистрировали 21 инцидент"
            " — на 12,5 % меньше, чем в среднем за три предыдущих месяца (24).",
        ),
        (
            "kk",
            "2020 жылғы наурызда желі орталықтарында (Алматы, Астана) 21 оқиға тіркелді"
            " — бұл алдыңғы үш айдың орташа деңгейінен (24) 12,5 %-ға аз.",
        ),
    ],
)
def test_a_fall_is_said_as_a_fall(language, expected):
    assert _paragraph(_march(21, language=language, mean=24.0, pct=-12.5)) == expected


@pytest.mark.parametrize(
    "language, expected",
    [
        (
            "en",
            "In March 2020 the centers of the network (Almaty, Astana) recorded fewer than 5"
            " (Incidents).",
        ),
        (
            "ru",
            "В марте 2020 года центры сети (Алматы, Астана) зарегистрировали менее 5 (Инциденты).",
        ),
    ],
)
def test_a_hidden_count_is_never_written_out_or_compared(language, expected):
    assert _paragraph(_march(2, language=language, hidden=True)) == expected


def test_thousands_are_grouped_as_each_language_writes_them():
    from crisis_ops.reports.formatting import number

    assert (number(1234, "en"), number(1234, "ru"), number(1234, "kk")) == (
        "1,234",
        "1\xa0234",
        "1\xa0234",
    )
