from django.urls import path

from ruta.core import views

app_name = "core"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("permisos/", views.permissions_view, name="permissions"),
    path("estilo/", views.style_view, name="style"),
]
