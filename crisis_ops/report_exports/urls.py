from django.urls import path

from crisis_ops.report_exports import views

app_name = "report_exports"

urlpatterns = [
    path("", views.export_list, name="list"),
    path("new/<uuid:run_id>", views.export_create, name="create"),
    path("<uuid:export_id>/", views.export_status, name="status"),
    path("<uuid:export_id>/progress", views.export_progress, name="progress"),
    path("<uuid:export_id>/download", views.export_download, name="download"),
]
