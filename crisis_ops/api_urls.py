from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from crisis_ops.accounts import api as accounts_api
from crisis_ops.organisations import api as organisations_api

app_name = "api"

v1 = [
    path("me", accounts_api.me, name="me"),
    path("regions", organisations_api.RegionList.as_view(), name="region-list"),
    path("members", organisations_api.MemberListCreate.as_view(), name="member-list"),
    path("members/<uuid:pk>", organisations_api.MemberDetail.as_view(), name="member-detail"),
]

urlpatterns = [
    path("v1/", include(v1)),
    # The schema describes the API, not any data in it; clients need it before signing in.
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[AllowAny]),
        name="docs",
    ),
]
