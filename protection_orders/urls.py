from django.urls import path

from protection_orders import views

app_name = "protection_orders"

urlpatterns = [
    path("case/<uuid:case_id>/new/", views.order_add, name="order_add"),
    path("<uuid:order_id>/", views.order_detail, name="order_detail"),
    path("<uuid:order_id>/checks/", views.check_add, name="check_add"),
    path("<uuid:order_id>/violations/", views.violation_add, name="violation_add"),
    path("<uuid:order_id>/decision/", views.decision_record, name="decision_record"),
    path("<uuid:order_id>/extend/", views.order_extend, name="order_extend"),
    path("<uuid:order_id>/revoke/", views.order_revoke, name="order_revoke"),
]
