from django.urls import path

from cases import acting_views, hotline_views, intake_views, list_views, views

app_name = "cases"

urlpatterns = [
    path("", list_views.case_list, name="case_list"),
    path("acting-for/", acting_views.acting_for_choose, name="acting_for"),
    path("hotline/", hotline_views.hotline_call_list, name="hotline_call_list"),
    path("hotline/new/", hotline_views.hotline_call_new, name="hotline_call_new"),
    path(
        "hotline/<uuid:call_id>/convert/",
        hotline_views.hotline_call_convert,
        name="hotline_call_convert",
    ),
    path("intake/", intake_views.intake, name="intake"),
    path("intake/autosave/", intake_views.intake_autosave, name="intake_autosave"),
    path("intake/duplicates/", intake_views.intake_duplicates, name="intake_duplicates"),
    path("intake/discard/", intake_views.intake_discard, name="intake_discard"),
    path("<uuid:case_id>/", views.case_detail, name="case_detail"),
    path("<uuid:case_id>/notes/", views.note_add, name="note_add"),
    path("<uuid:case_id>/status/", views.status_change, name="status_change"),
    path("<uuid:case_id>/court/", views.court_pending_set, name="court_pending_set"),
    path("<uuid:case_id>/consents/", views.consent_add, name="consent_add"),
    path(
        "<uuid:case_id>/consents/<uuid:consent_id>/revoke/",
        views.consent_revoke,
        name="consent_revoke",
    ),
    path("<uuid:case_id>/services/", views.service_add, name="service_add"),
    path("<uuid:case_id>/children/", views.child_add, name="child_add"),
    path("<uuid:case_id>/assign/", views.case_assign, name="case_assign"),
    path("<uuid:case_id>/incidents/new/", views.incident_add, name="incident_add"),
    path("<uuid:case_id>/risk/new/", views.risk_add, name="risk_add"),
]
