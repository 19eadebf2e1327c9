"""HSDS imports for coordinators, under /directorio/importar/."""

from django.urls import path

from ruta.hsds import views_import

app_name = "hsds_import"

urlpatterns = [
    path("", views_import.upload_view, name="upload"),
    path("<uuid:job_uuid>/", views_import.detail_view, name="detail"),
    path("<uuid:job_uuid>/confirmar/", views_import.confirm_view, name="confirm"),
]
