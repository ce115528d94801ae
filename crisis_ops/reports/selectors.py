"""Who may run reports, and on which organisations: one rule for pages and the API."""

from __future__ import annotations

import uuid

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from crisis_ops.accounts.models import User
from crisis_ops.organisations.models import Membership, Organisation
from crisis_ops.organisations.roles import Role
from crisis_ops.reports.models import ReportRun, SavedReport

REPORT_ROLES = (Role.COORDINATOR, Role.SUPERVISOR)


def report_organisations_for_user(*, user: User) -> QuerySet[Organisation]:
    """A coordinator: every active organisation of the network; a supervisor: her centers.

    Raises PermissionDenied for anyone else (caseworkers, shelter managers, admins).
    """
    memberships = Membership.objects.filter(
        user=user, is_active=True, organisation__is_active=True, role__in=REPORT_ROLES
    )
    roles = set(memberships.values_list("role", flat=True))
    if not roles:
        raise PermissionDenied
    organisations = Organisation.objects.filter(is_active=True).select_related("region")
    if Role.COORDINATOR in roles:
        return organisations
    return organisations.filter(id__in=memberships.values("organisation_id"))


def report_run_list_for_user(*, user: User) -> QuerySet[ReportRun]:
    report_organisations_for_user(user=user)
    return ReportRun.objects.filter(requested_by=user)


def report_run_get_for_user(*, user: User, run_id: uuid.UUID | str) -> ReportRun:
    """Only whoever asked for a run may read it, its status or its files."""
    try:
        return report_run_list_for_user(user=user).get(pk=run_id)
    except (ReportRun.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def saved_report_list_for_user(*, user: User) -> QuerySet[SavedReport]:
    report_organisations_for_user(user=user)
    return SavedReport.objects.filter(owner=user)


def saved_report_get_for_user(*, user: User, saved_id: uuid.UUID | str) -> SavedReport:
    try:
        return saved_report_list_for_user(user=user).get(pk=saved_id)
    except (SavedReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
