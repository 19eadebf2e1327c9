"""The staff directory editor: /directorio/ (and /en/directorio/)."""

from django.urls import path

from ruta.directory import views_editor as views

app_name = "directory"

urlpatterns = [
    path("", views.service_list_view, name="service_list"),
    path("servicios/nuevo/", views.service_create_view, name="service_create"),
    path("servicios/<uuid:service_uuid>/", views.service_detail_view, name="service_detail"),
    path("servicios/<uuid:service_uuid>/editar/", views.service_edit_view, name="service_edit"),
    path(
        "servicios/<uuid:service_uuid>/verificar/",
        views.service_verify_view,
        name="service_verify",
    ),
    path("servicios/<uuid:service_uuid>/estado/", views.service_status_view, name="service_status"),
    path("ubicaciones/", views.location_list_view, name="location_list"),
    path("ubicaciones/nueva/", views.location_create_view, name="location_create"),
    path(
        "ubicaciones/<uuid:location_uuid>/editar/",
        views.location_edit_view,
        name="location_edit",
    ),
    path("areas/", views.area_options_view, name="area_options"),
    path("taxonomias/", views.taxonomy_list_view, name="taxonomy_list"),
    path(
        "taxonomias/<uuid:taxonomy_uuid>/terminos/nuevo/",
        views.term_create_view,
        name="term_create",
    ),
    path("taxonomias/terminos/<uuid:term_uuid>/editar/", views.term_edit_view, name="term_edit"),
    path("palabras/", views.everyday_word_list_view, name="everyday_word_list"),
    path("palabras/nueva/", views.everyday_word_create_view, name="everyday_word_create"),
    path(
        "palabras/<uuid:word_uuid>/editar/",
        views.everyday_word_edit_view,
        name="everyday_word_edit",
    ),
]
