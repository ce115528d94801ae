from django.contrib import admin
from django.urls import include, path

from crisis_ops.accounts import views as accounts_views

urlpatterns = [
    path("", include("crisis_ops.core.urls")),
    path("accounts/", include("crisis_ops.accounts.urls")),
    path("i18n/language/", accounts_views.language_view, name="set_language"),
    path("organisations/", include("crisis_ops.organisations.urls")),
    path("cases/", include("cases.urls")),
    path("orders/", include("protection_orders.urls")),
    path("shelters/", include("shelters.urls")),
    path("referrals/", include("referrals.urls")),
    path("notifications/", include("crisis_ops.notifications.urls")),
    path("reports/exports/", include("crisis_ops.report_exports.urls")),
    path("reports/", include("crisis_ops.reports.urls")),
    path("retention/", include("crisis_ops.retention.urls")),
    path("api/", include("crisis_ops.api_urls")),
    path("admin/", admin.site.urls),
]

handler400 = "crisis_ops.core.views.bad_request"
handler403 = "crisis_ops.core.views.permission_denied"
handler404 = "crisis_ops.core.views.page_not_found"
handler500 = "crisis_ops.core.views.server_error"
