from django.urls import path

from crisis_ops.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_builder, name="builder"),
    path("runs/<uuid:run_id>/", views.run_detail, name="run_detail"),
    path("runs/<uuid:run_id>/save", views.run_save, name="run_save"),
    path("saved/<uuid:saved_id>/next", views.saved_run_next, name="saved_run_next"),
]
