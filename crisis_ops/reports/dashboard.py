"""The coordinator's dashboard panel: this month's headline figures against the baseline.

Replaces core's placeholder panel of the same name. The figures go through the same
engine as any report, so the panel shows published (suppressed) numbers only.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from crisis_ops.accounts.models import User
from crisis_ops.core.dashboard import register_panel
from crisis_ops.organisations.roles import Role
from crisis_ops.reports.definition import parse_definition
from crisis_ops.reports.engine import run_report
from crisis_ops.reports.registry import figure_get
from crisis_ops.reports.selectors import report_organisations_for_user

HEADLINES = ("new_cases", "incidents", "turn_aways")


def _headlines(user: User) -> Mapping[str, object]:
    try:
        organisations = list(report_organisations_for_user(user=user))
    except PermissionDenied:
        return {"headlines": []}
    month = timezone.localdate().strftime("%Y-%m")
    language = translation.get_language() or "en"
    visible = {str(o.pk) for o in organisations}
    lines = []
    for key in HEADLINES:
        if figure_get(key) is None:
            continue
        data = {"figure": key, "start": month, "end": month, "language": language}
        definition = parse_definition(data, visible_organisation_ids=visible)
        report = run_report(definition, organisations=organisations)
        lines.append(
            {
                "label": report.figure_label,
                "value": report.cells[0][0].display,
                "words": report.baseline[0].words if report.baseline else "",
            }
        )
    return {"headlines": lines, "month": month}


def register() -> None:
    register_panel(
        "figures",
        roles=[Role.COORDINATOR],
        template="reports/_dashboard_headlines.html",
        context=_headlines,
        order=10,
    )
