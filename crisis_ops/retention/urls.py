from django.urls import path

from crisis_ops.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<uuid:organisation_id>/policy/", views.policy_edit, name="policy_edit"),
    path("<uuid:organisation_id>/holds/new/", views.hold_create, name="hold_create"),
    path("holds/<uuid:hold_id>/release/", views.hold_release, name="hold_release"),
    path("erasure/", views.erasure_list, name="erasure_list"),
    path("erasure/new/", views.erasure_create, name="erasure_create"),
    path("erasure/<uuid:request_id>/", views.erasure_detail, name="erasure_detail"),
    path("erasure/<uuid:request_id>/confirm/", views.erasure_confirm, name="erasure_confirm"),
    path("erasure/<uuid:request_id>/cancel/", views.erasure_cancel, name="erasure_cancel"),
]
