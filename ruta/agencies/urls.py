from django.urls import path

from ruta.agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.organization_list_view, name="organization_list"),
    path("nueva/", views.organization_create_view, name="organization_create"),
    path("<uuid:org_uuid>/", views.organization_detail_view, name="organization_detail"),
    path("<uuid:org_uuid>/editar/", views.organization_edit_view, name="organization_edit"),
    path(
        "<uuid:org_uuid>/conservacion/",
        views.organization_retention_view,
        name="organization_retention",
    ),
]
