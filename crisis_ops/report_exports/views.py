"""Pages of an export job: its status with a progress bar, and the download.

The progress partial is polled by htmx with the X-Background-Refresh header, so polling
never counts as activity: a coordinator who walks away is still signed out after 15 min.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.report_exports import selectors, services
from crisis_ops.report_exports.models import ReportExport
from crisis_ops.reports.exports.render import FORMATS


@login_required
def export_list(request: AuthedHttpRequest) -> HttpResponse:
    exports = selectors.export_list_for_user(user=request.user)[:50]
    return render(request, "report_exports/list.html", {"exports": exports})


@login_required
@require_POST
def export_create(request: AuthedHttpRequest, run_id: str) -> HttpResponse:
    """From the report page's export buttons: queue the file, then watch its progress.

    From htmx the progress bar comes back into the report page itself; without script
    the browser goes to the job's own page, which shows the same bar.
    """
    try:
        export = services.export_request_for_run(
            actor=request.user, run_id=run_id, format=request.POST.get("format", "")
        )
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    if request.headers.get("HX-Request") == "true":
        return render(request, "report_exports/_progress.html", {"export": export})
    return redirect("report_exports:status", export_id=export.pk)


@login_required
def export_status(request: AuthedHttpRequest, export_id: str) -> HttpResponse:
    export = selectors.export_get_for_user(user=request.user, export_id=export_id)
    return render(request, "report_exports/status.html", {"export": export})


@login_required
def export_progress(request: AuthedHttpRequest, export_id: str) -> HttpResponse:
    export = selectors.export_get_for_user(user=request.user, export_id=export_id)
    return render(request, "report_exports/_progress.html", {"export": export})


@login_required
def export_download(request: AuthedHttpRequest, export_id: str) -> HttpResponse:
    """The file; or, with the reason, 409 while it is being built and 410 once failed or
    deleted after 7 days."""
    export = selectors.export_get_for_user(user=request.user, export_id=export_id)
    try:
        data = services.export_download(actor=request.user, export=export)
    except services.NotDownloadable:
        status = 410 if export.is_finished else 409
        return render(request, "report_exports/status.html", {"export": export}, status=status)
    return file_response(export, data)


def file_response(export: ReportExport, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type=FORMATS[export.format].content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.download_name}"'
    return response
