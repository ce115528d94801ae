from django.urls import path

from crisis_ops.organisations import views

app_name = "organisations"

urlpatterns = [
    path("staff/", views.member_list, name="member_list"),
    path("<uuid:organisation_id>/staff/new/", views.member_create, name="member_create"),
    path("staff/<uuid:membership_id>/", views.member_update, name="member_update"),
    path(
        "staff/<uuid:membership_id>/password/",
        views.member_password_reset,
        name="member_password_reset",
    ),
    path(
        "staff/<uuid:membership_id>/reset-second-factor/",
        views.member_reset_second_factor,
        name="member_reset_second_factor",
    ),
]
