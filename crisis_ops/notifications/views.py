"""The in-app inbox: the signed-in user's own notifications, newest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.notifications.selectors import notification_list_for_user
from crisis_ops.notifications.services import notification_mark_read, notifications_mark_all_read
from crisis_ops.notifications.subjects import subjects_for

PAGE_SIZE = 50


@login_required
def inbox(request: AuthedHttpRequest) -> HttpResponse:
    notifications = notification_list_for_user(user=request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    subjects = subjects_for(user=request.user, notifications=page.object_list)
    rows = [(n, subjects.get(n.pk)) for n in page.object_list]
    return render(request, "notifications/inbox.html", {"page": page, "rows": rows})


@require_POST
@login_required
def mark_read(request: AuthedHttpRequest, notification_id: str) -> HttpResponse:
    notification_mark_read(user=request.user, notification_id=notification_id)
    return redirect("notifications:inbox")


@require_POST
@login_required
def mark_all_read(request: AuthedHttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=request.user)
    return redirect("notifications:inbox")
