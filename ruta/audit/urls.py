from django.urls import path

from ruta.audit import views

app_name = "audit"

# The CSV export is asked for on this page and made by the exports app (exports:audit_csv).
urlpatterns = [
    path("", views.event_list_view, name="event_list"),
]
