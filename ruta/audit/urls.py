from django.urls import path

from ruta.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.event_list_view, name="event_list"),
    path("exportar.csv", views.event_export_view, name="event_export"),
]
