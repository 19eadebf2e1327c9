"""Everything under /api/v1/."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from ruta.accounts.api import LogoutView, MeView, TokenView
from ruta.lib.permissions import PUBLIC, HasCapability


class SchemaView(SpectacularAPIView):
    permission_classes = [HasCapability]
    required_capability = PUBLIC


class DocsView(SpectacularSwaggerSplitView):
    permission_classes = [HasCapability]
    required_capability = PUBLIC
    url_name = "api:schema"


app_name = "api"

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/logout/", LogoutView.as_view(), name="logout"),
    path("me/", MeView.as_view(), name="me"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
]
