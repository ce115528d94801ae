from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.notifications.selectors import escalations_for
from crisis_ops.organisations.roles import Role
from crisis_ops.organisations.selectors import membership_list_for_admin


@login_required
def dashboard(request: AuthedHttpRequest) -> HttpResponse:
    roles = request.user.active_roles()
    context: dict[str, object] = {
        "roles": [role for role in Role if role in roles],
        "has_no_role": not roles,
    }
    if roles & {Role.CASEWORKER, Role.SUPERVISOR}:
        from cases.selectors import case_list_for_user

        context["my_open_cases"] = (
            case_list_for_user(user=request.user, assigned_to_me=True)
            .exclude(status="closed")
            .count()
        )
        from protection_orders.selectors import deadlines_for

        context["deadlines"] = deadlines_for(user=request.user)
        from referrals.selectors import incoming_count, waiting_for_answer

        context["incoming_referrals"] = incoming_count(request.user)
        context["waiting_referrals"] = waiting_for_answer(request.user)
    if Role.SUPERVISOR in roles:
        context["escalations"] = escalations_for(request.user)
    if Role.SHELTER_MANAGER in roles:
        from shelters.board import manager_summaries

        context["shelters"] = manager_summaries(request.user)
    if Role.ORG_ADMIN in roles:
        context["staff_count"] = (
            membership_list_for_admin(user=request.user).filter(is_active=True).count()
        )
    return render(request, "core/dashboard.html", context)


def _error(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "errors": {}}, status=status)
    return render(request, "error.html", {"status": status, "message": message}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 400, _("The request could not be understood."))


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, _("You do not have access to this page."))


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 404, _("This page does not exist, or you do not have access to it."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(request, 500, _("Something went wrong on our side. Please try again."))
