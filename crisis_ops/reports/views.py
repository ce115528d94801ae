"""Report pages: the builder, a run's result, saved definitions and their next period."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crisis_ops.core.forms import add_service_errors
from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.reports import selectors, services
from crisis_ops.reports.chart import report_svg
from crisis_ops.reports.exports.render import FORMATS
from crisis_ops.reports.forms import ReportForm, SaveForm

# The buttons of the result page, one per format report_exports can build.
EXPORT_FORMATS = tuple((key, key.upper()) for key in FORMATS)


@login_required
def report_builder(request: AuthedHttpRequest) -> HttpResponse:
    organisations = list(selectors.report_organisations_for_user(user=request.user))
    form = ReportForm(
        request.POST or None,
        organisations=organisations,
        initial={"language": translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = services.report_run_create(user=request.user, data=form.definition_data())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("reports:run_detail", run_id=run.pk)
    saved = selectors.saved_report_list_for_user(user=request.user)
    return render(request, "reports/builder.html", {"form": form, "saved": saved})


@login_required
def run_detail(request: AuthedHttpRequest, run_id: str) -> HttpResponse:
    run = selectors.report_run_get_for_user(user=request.user, run_id=run_id)
    report = run.published()
    context = {
        "run": run,
        "report": report,
        "chart": mark_safe(report_svg(report)) if report and report.has_data else "",  # noqa: S308
        "rows": list(
            zip(
                report.rows.labels,
                report.cells,
                report.row_totals or [None] * len(report.cells),
                strict=True,
            )
        )
        if report
        else [],
        "save_form": SaveForm(),
        "export_formats": EXPORT_FORMATS,
    }
    return render(request, "reports/run_detail.html", context)


@login_required
@require_POST
def run_save(request: AuthedHttpRequest, run_id: str) -> HttpResponse:
    run = selectors.report_run_get_for_user(user=request.user, run_id=run_id)
    form = SaveForm(request.POST)
    if form.is_valid():
        services.saved_report_create(
            user=request.user, name=form.cleaned_data["name"], data=run.definition
        )
        messages.success(request, _("Report definition saved."))
    else:
        messages.error(request, _("Give the saved report a name."))
    return redirect("reports:run_detail", run_id=run.pk)


@login_required
@require_POST
def saved_run_next(request: AuthedHttpRequest, saved_id: str) -> HttpResponse:
    """Run a saved definition for the period after its last one, in one click."""
    saved = selectors.saved_report_get_for_user(user=request.user, saved_id=saved_id)
    data = services.next_period(saved.definition)
    try:
        run = services.report_run_create(user=request.user, data=data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("reports:builder")
    services.saved_report_move_on(saved=saved, definition=data)
    return redirect("reports:run_detail", run_id=run.pk)
