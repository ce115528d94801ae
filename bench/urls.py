"""URLconf of the bench-cases process only: the site, plus the case list over plain twins."""

from django.urls import include, path

from bench.cases_plain import case_list_plain

urlpatterns = [
    path("bench/plain-cases/", case_list_plain, name="bench_plain_case_list"),
    path("", include("crisis_ops.urls")),
]

handler400 = "crisis_ops.core.views.bad_request"
handler403 = "crisis_ops.core.views.permission_denied"
handler404 = "crisis_ops.core.views.page_not_found"
handler500 = "crisis_ops.core.views.server_error"
