"""Writes of the reports module: a run (computed, audited) and saved definitions."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from crisis_ops.accounts.models import User
from crisis_ops.audit.services import audit_record
from crisis_ops.reports.definition import Definition, add_months, parse_definition
from crisis_ops.reports.engine import run_report
from crisis_ops.reports.models import ReportRun, SavedReport
from crisis_ops.reports.selectors import report_organisations_for_user


def definition_for_user(*, user: User, data: dict[str, Any]) -> tuple[Definition, list[Any]]:
    """The checked definition and the organisations it covers (PermissionDenied, or
    ValidationError with a message per field)."""
    visible = list(report_organisations_for_user(user=user))
    definition = parse_definition(data, visible_organisation_ids={str(o.pk) for o in visible})
    chosen = set(definition.organisation_ids)
    organisations = [o for o in visible if not chosen or str(o.pk) in chosen]
    return definition, organisations


@transaction.atomic
def report_run_create(*, user: User, data: dict[str, Any]) -> ReportRun:
    """Check, compute and publish a report; its suppression pattern is remembered."""
    definition, organisations = definition_for_user(user=user, data=data)
    run = ReportRun.objects.create(
        requested_by=user,
        definition=definition.to_json(),
        organisation_ids=[str(o.pk) for o in organisations],
        status=ReportRun.Status.RUNNING,
    )
    report = run_report(definition, organisations=organisations, run_id=run.pk)
    run.result = report.to_dict()
    run.status = ReportRun.Status.DONE
    run.progress = 100
    run.finished_at = timezone.now()
    run.save(update_fields=["result", "status", "progress", "finished_at", "updated_at"])
    audit_record(action="report.run", actor=user, obj=run)
    return run


@transaction.atomic
def saved_report_create(*, user: User, name: str, data: dict[str, Any]) -> SavedReport:
    definition, _organisations = definition_for_user(user=user, data=data)
    saved = SavedReport.objects.create(owner=user, name=name[:100], definition=definition.to_json())
    audit_record(action="report.save", actor=user, obj=saved)
    return saved


def next_period(definition: dict[str, Any]) -> dict[str, Any]:
    """The same report moved on by its own length: Jan–Mar becomes Apr–Jun."""
    start = _month(definition["start"])
    end = _month(definition["end"])
    length = (end.year - start.year) * 12 + end.month - start.month + 1
    return {
        **definition,
        "start": add_months(start, length).strftime("%Y-%m"),
        "end": add_months(end, length).strftime("%Y-%m"),
    }


def _month(text: str) -> Any:
    from crisis_ops.reports.definition import month_start

    value = month_start(text)
    assert value is not None
    return value


@transaction.atomic
def saved_report_move_on(*, saved: SavedReport, definition: dict[str, Any]) -> None:
    """The saved definition now names the period just run, so the next click moves on."""
    saved.definition = definition
    saved.save(update_fields=["definition", "updated_at"])
