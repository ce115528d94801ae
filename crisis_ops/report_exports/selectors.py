"""Reading export jobs: only whoever asked, and only while she may still see reports."""

from __future__ import annotations

import uuid

from django.db.models import QuerySet
from django.http import Http404

from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Membership
from crisis_ops.organisations.roles import Role
from crisis_ops.report_exports.models import ReportExport

# Who may see advocacy reports at all; the reports core decides which organisations.
REPORT_ROLES = (Role.COORDINATOR, Role.SUPERVISOR)


def may_see_reports(*, user: User) -> bool:
    return Membership.objects.filter(user=user, is_active=True, role__in=REPORT_ROLES).exists()


def export_list_for_user(*, user: User) -> QuerySet[ReportExport]:
    """Her own exports; nobody else's, whatever her role (a colleague asks for her own)."""
    if not user.is_authenticated or not may_see_reports(user=user):
        return ReportExport.objects.none()
    return ReportExport.objects.filter(requested_by=user)


def export_get_for_user(*, user: User, export_id: uuid.UUID | str) -> ReportExport:
    try:
        return export_list_for_user(user=user).get(pk=export_id)
    except (ReportExport.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def export_latest_for_run(*, user: User, run_id: uuid.UUID, format: str) -> ReportExport:
    """Her newest export of that run in that format, for reports/{id}/download."""
    export = (
        export_list_for_user(user=user).filter(run_id=run_id, format=format).order_by("-created_at")
    ).first()
    if export is None:
        raise Http404
    return export
