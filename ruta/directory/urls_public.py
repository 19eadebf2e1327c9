"""The public finder: /servicios/ and /en/servicios/ (no login)."""

from django.urls import path

from ruta.directory import views_public

app_name = "finder"

urlpatterns = [
    path("", views_public.finder_view, name="search"),
    path("<uuid:service_uuid>/", views_public.service_detail_view, name="service_detail"),
]
