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

PAGE_SIZE = 50


@login_required
def inbox(request: AuthedHttpRequest) -> HttpResponse:
    # Imported here: the cross-cutting module must not load the apps at import time.
    from protection_orders.selectors import notification_cases
    from referrals.selectors import notification_referrals
    from shelters.selectors import notification_stays

    notifications = Notification.objects.filter(recipient=request.user).order_by("-created_at")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    cases = notification_cases(user=request.user, notifications=page.object_list)
    stays = notification_stays(user=request.user, notifications=page.object_list)
    referrals = notification_referrals(user=request.user, notifications=page.object_list)
    rows = [(n, cases.get(n.pk), stays.get(n.pk), referrals.get(n.pk)) for n in page.object_list]
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
