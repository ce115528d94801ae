import pytest
import time_machine
from django.core.exceptions import ValidationError

from crisis_ops.organisations.models import Organisation
from crisis_ops.reports.definition import parse_definition
from crisis_ops.reports.engine import run_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _april_2026():
    with time_machine.travel("2026-04-15 10:00 +05:00", tick=False):
        yield


def _run(data, organisations=None):
    orgs = organisations or list(Organisation.objects.select_related("region"))
    definition = parse_definition(data, visible_organisation_ids={str(o.pk) for o in orgs})
    return run_report(definition, organisations=orgs)


def test_incidents_by_month_and_region_match_the_hand_count(seeded):
    report = _run(
        {
            "figure": "incidents",
            "start": "2026-02",
            "end": "2026-03",
            "breakdowns": ["month", "region"],
        }
    )
    assert report.rows.keys == ("2026-02", "2026-03")
    assert report.columns.keys == ("almaty-city", "astana")
    values = [[c.value for c in row] for row in report.cells]
    # February: 6 in Almaty, 0 in Astana; March: 7 in Almaty, 3 in Astana (hidden, <5).
    assert values[0][1] == 0
    assert report.cells[1][1].display == "<5"
    assert report.grand_total.value == 16 or report.grand_total.suppressed
    assert report.excluded_for_consent == 2


def test_incidents_by_relationship_count_only_consented_cases(seeded):
    report = _run(
        {
            "figure": "incidents",
            "start": "2026-03",
            "end": "2026-03",
            "breakdowns": ["relationship"],
            "organisations": [str(seeded.center.pk)],
        },
        organisations=[seeded.center],
    )
    by_key = dict(zip(report.rows.keys, report.cells, strict=True))
    assert by_key["former_spouse"][0].display == "<5"  # 2
    # 7 - 5 would give the 2 away: the 5 is hidden too, the 2 without consent not counted.
    assert by_key["spouse"][0].display == "—"
    assert report.grand_total.value == 7


def test_violence_types_count_each_named_type(seeded):
    report = _run(
        {
            "figure": "incidents",
            "start": "2026-02",
            "end": "2026-03",
            "breakdowns": ["violence_type"],
            "organisations": [str(seeded.center.pk)],
        },
        organisations=[seeded.center],
    )
    by_key = {k: c[0].display for k, c in zip(report.rows.keys, report.cells, strict=True)}
    # 11 incidents physical+psychological, 2 economic only; the 2 hides one 11 with it.
    assert by_key == {"physical": "—", "psychological": "11", "sexual": "0", "economic": "<5"}


def test_the_baseline_compares_a_month_with_the_three_before(seeded):
    report = _run(
        {
            "figure": "incidents",
            "start": "2026-03",
            "end": "2026-03",
            "breakdowns": ["month"],
            "organisations": [str(seeded.center.pk)],
        },
        organisations=[seeded.center],
    )
    (entry,) = report.baseline
    # March 7 against December 0, January 0, February 6: mean 2, +5, +250 %.
    assert (entry.month, entry.value, entry.previous_3_mean) == ("2026-03", 7, 2.0)
    assert (entry.previous_3_change, entry.previous_3_change_pct) == (5.0, 250.0)
    assert entry.direction == "up"
    assert entry.words == "250 % more than the average of the three months before (2)."
    assert report.paragraph == (
        "In March 2026 the centers of the network (Almaty) recorded 7 incidents, 250 % more"
        " than the average of the three months before (2)."
    )


def test_a_hidden_month_is_never_compared(seeded):
    report = _run(
        {
            "figure": "incidents",
            "start": "2026-03",
            "end": "2026-03",
            "breakdowns": ["month"],
            "organisations": [str(seeded.other_center.pk)],
        },
        organisations=[seeded.other_center],
    )
    (entry,) = report.baseline
    assert entry.value is None and entry.direction == "" and entry.previous_3_change is None


@pytest.mark.parametrize(
    "data, field",
    [
        ({"figure": "incidents", "start": "2026-03", "end": "2026-01"}, "end"),
        ({"figure": "incidents", "start": "2026-03", "end": "2026-06"}, "end"),
        ({"figure": "nope", "start": "2026-01", "end": "2026-02"}, "figure"),
        (
            {
                "figure": "incidents",
                "start": "2026-01",
                "end": "2026-02",
                "breakdowns": ["month", "region", "sex"],
            },
            "breakdowns",
        ),
        (
            {
                "figure": "incidents",
                "start": "2026-01",
                "end": "2026-02",
                "breakdowns": ["shoe_size"],
            },
            "breakdowns",
        ),
        (
            {
                "figure": "incidents",
                "start": "2026-01",
                "end": "2026-02",
                "organisations": ["00000000-0000-0000-0000-000000000000"],
            },
            "organisations",
        ),
    ],
)
def test_bad_definitions_are_refused_with_a_message(data, field):
    with pytest.raises(ValidationError) as caught:
        parse_definition(data, visible_organisation_ids=set())
    assert field in caught.value.message_dict


def _every_figure_and_breakdown():
    import django.apps  # noqa: F401

    from crisis_ops.reports.registry import figures

    return [(f.key, d) for f in figures(listed_only=True) for d in f.dimension_keys()]


@pytest.mark.parametrize("figure, breakdown", _every_figure_and_breakdown())
def test_every_figure_runs_by_every_breakdown(personas, figure, breakdown):
    report = _run(
        {
            "figure": figure,
            "start": "2026-01",
            "end": "2026-03",
            "breakdowns": [breakdown, "region"] if breakdown != "region" else [breakdown],
        }
    )
    assert report.figure_key == figure
    assert len(report.cells) == len(report.rows.keys)


def test_the_baseline_counted_with_the_period_is_the_one_counted_apart(seeded, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from crisis_ops.reports import engine
    from crisis_ops.reports.counting import count

    data = {
        "figure": "incidents",
        "start": "2026-03",
        "end": "2026-03",
        "breakdowns": ["month", "region"],
    }
    with CaptureQueriesContext(connection) as folded_queries:
        folded = _run(data)
    monkeypatch.setattr(
        engine,
        "_counts_and_year_before",
        lambda figure, scope, dims, filters: (count(figure, scope, dims, filters), None),
    )
    with CaptureQueriesContext(connection) as apart_queries:
        apart = _run(data)
    assert folded.baseline == apart.baseline
    (entry,) = folded.baseline
    assert entry.previous_3_mean == 2.0  # December 0, January 0, February 6
    assert folded.cells == apart.cells and folded.grand_total == apart.grand_total

    def incident_scans(queries):
        return sum('FROM "cases_incident"' in q["sql"] for q in queries.captured_queries)

    assert incident_scans(folded_queries) == incident_scans(apart_queries) - 1
