"""Helpers for the reports tests: run a report definition over the organisations, read it."""

import datetime

from crisis_ops.organisations.models import Organisation
from crisis_ops.reports.definition import parse_definition
from crisis_ops.reports.engine import run_report
from tests.cases.factories import intake

ALMATY = datetime.timezone(datetime.timedelta(hours=5))


def run_figures(data, organisations=None):
    """The report ``data`` defines, over these organisations (every one by default)."""
    orgs = organisations or list(Organisation.objects.select_related("region"))
    definition = parse_definition(data, visible_organisation_ids={str(o.pk) for o in orgs})
    return run_report(definition, organisations=orgs)


def by_row(report):
    """Row key -> the first column's cell."""
    return {k: row[0] for k, row in zip(report.rows.keys, report.cells, strict=True)}


def case_with_consents(personas, consents=("services", "statistics")):
    return intake(personas.caseworker, personas.center, consents=list(consents))
