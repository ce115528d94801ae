"""The in-app inbox: the signed-in user's own notifications, newest first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from crisis_ops.core.typing import AuthedHttpRequest
from crisis_ops.notifications.models import Notification
from crisis_ops.notifications.subjects import subjects_for

PAGE_SIZE = 50


@login_required
def inbox(request: AuthedHttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(recipient=request.user).order_by("-created_at")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    subjects = subjects_for(user=request.user, notifications=page.object_list)
    rows = [(n, subjects.get(n.pk)) for n in page.object_list]
    return render(request, "notifications/inbox.html", {"page": page, "rows": rows})


@require_POST
@login_required
def mark_read(request: AuthedHttpRequest, notification_id: str) -> HttpResponse:
    found = Notification.objects.filter(recipient=request.user, pk=notification_id)
    if not found.exists():
        raise Http404
    found.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:inbox")


@require_POST
@login_required
def mark_all_read(request: AuthedHttpRequest) -> HttpResponse:
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return redirect("notifications:inbox")
