"""Activities: HTML routes under the ``activities`` namespace (/actividades/)."""

from __future__ import annotations

from django.urls import path

from ruta.activities import views

app_name = "activities"

ACTIVITY = "<uuid:activity_uuid>/"
SESSION = "sesiones/<uuid:session_uuid>/"

urlpatterns = [
    path("", views.list_view, name="list"),
    path("nueva/", views.create_view, name="create"),
    path(ACTIVITY, views.detail_view, name="detail"),
    path(f"{ACTIVITY}editar/", views.edit_view, name="edit"),
    path(f"{ACTIVITY}sesiones/", views.session_add_view, name="session_add"),
    path(f"{ACTIVITY}importar/", views.import_view, name="import"),
    path(f"{SESSION}eliminar/", views.session_remove_view, name="session_remove"),
    path(f"{SESSION}conteo/", views.counts_view, name="counts"),
    path(f"{SESSION}asistencia/", views.attendance_view, name="attendance"),
]
