from django.urls import path

from crisis_ops.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("two-factor/", views.verify_view, name="verify"),
    path("two-factor/setup/", views.enrol_view, name="enrol"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
]
