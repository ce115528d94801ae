from django.urls import path

from crisis_ops.accounts import profile_views, session_views, token_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("two-factor/", views.verify_view, name="verify"),
    path("two-factor/setup/", views.enrol_view, name="enrol"),
    path("password/", views.password_change_view, name="password_change"),
    path("profile/", profile_views.profile, name="profile"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<uuid:token_id>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("tokens/organisation/", token_views.organisation_token_list, name="organisation_tokens"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("session/", session_views.session_state, name="session_state"),
    path("session/keepalive/", session_views.session_keepalive, name="session_keepalive"),
    path("drafts/sent/", session_views.drafts_sent, name="drafts_sent"),
]
