from django.urls import path

from crisis_ops.report_exports import views

app_name = "report_exports"

urlpatterns = [
    path("", views.export_list, name="list"),
    path("<uuid:export_id>/", views.export_status, name="status"),
    path("<uuid:export_id>/progress", views.export_progress, name="progress"),
    path("<uuid:export_id>/download", views.export_download, name="download"),
]
