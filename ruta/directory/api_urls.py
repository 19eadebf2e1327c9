"""The directory's editing API: /api/v1/directory/ (see ruta/directory/api.py)."""

from typing import Any

from django.urls import path

from ruta.directory import api

app_name = "directory_api"

LIST: dict[str, Any] = {"get": "list", "post": "create"}
DETAIL: dict[str, Any] = {"get": "retrieve", "put": "update", "patch": "partial_update"}
READ_LIST: dict[str, Any] = {"get": "list"}
READ_DETAIL: dict[str, Any] = {"get": "retrieve"}

urlpatterns = [
    path("services/", api.ServiceViewSet.as_view(LIST), name="service-list"),
    path("services/<uuid:uuid>/", api.ServiceViewSet.as_view(DETAIL), name="service-detail"),
    path("locations/", api.LocationViewSet.as_view(LIST), name="location-list"),
    path("locations/<uuid:uuid>/", api.LocationViewSet.as_view(DETAIL), name="location-detail"),
    path("taxonomy-terms/", api.TaxonomyTermViewSet.as_view(READ_LIST), name="taxonomy-term-list"),
    path(
        "taxonomy-terms/<uuid:uuid>/",
        api.TaxonomyTermViewSet.as_view(READ_DETAIL),
        name="taxonomy-term-detail",
    ),
    path("admin-areas/", api.AdminAreaViewSet.as_view(READ_LIST), name="admin-area-list"),
    path(
        "admin-areas/<str:code>/",
        api.AdminAreaViewSet.as_view(READ_DETAIL),
        name="admin-area-detail",
    ),
]
