"""Indicators and projects: routes under the ``indicators`` namespace (/indicadores/)."""

from __future__ import annotations

from django.urls import path

from ruta.indicators import views, views_projects

app_name = "indicators"

urlpatterns = [
    path("", views.catalogue_view, name="catalogue"),
    # Projects first: their words never collide with a framework's code.
    path("proyectos/", views_projects.projects_view, name="projects"),
    path("proyectos/nuevo/", views_projects.project_new_view, name="project_new"),
    path("proyectos/<uuid:project_uuid>/", views_projects.project_view, name="project"),
    path(
        "proyectos/<uuid:project_uuid>/editar/",
        views_projects.project_edit_view,
        name="project_edit",
    ),
    path(
        "proyectos/<uuid:project_uuid>/avance.csv",
        views_projects.project_csv_view,
        name="project_csv",
    ),
    path(
        "proyectos/<uuid:project_uuid>/indicadores/",
        views_projects.project_indicator_add_view,
        name="project_indicator_add",
    ),
    path(
        "proyectos/<uuid:project_uuid>/indicadores/<slug:framework>/<str:code>/metas/",
        views_projects.targets_view,
        name="targets",
    ),
    path(
        "proyectos/<uuid:project_uuid>/indicadores/<slug:framework>/<str:code>/quitar/",
        views_projects.project_indicator_remove_view,
        name="project_indicator_remove",
    ),
    path("valores/<uuid:value_uuid>/", views.value_edit_view, name="value_edit"),
    path("valores/<uuid:value_uuid>/borrar/", views.value_delete_view, name="value_delete"),
    path("valores/<uuid:value_uuid>/evidencia/", views.evidence_view, name="evidence"),
    # A framework's new items before its items: "nuevo" is never an item's code.
    path("<slug:framework>/nuevo/", views.indicator_new_view, name="indicator_new"),
    path(
        "<slug:framework>/actividades/nueva/",
        views.package_activity_new_view,
        name="package_activity_new",
    ),
    path("<slug:framework>/<str:code>/", views.indicator_view, name="indicator"),
    path("<slug:framework>/<str:code>/editar/", views.indicator_edit_view, name="indicator_edit"),
    path(
        "<slug:framework>/<str:code>/resultados.csv", views.indicator_csv_view, name="indicator_csv"
    ),
    path("<slug:framework>/<str:code>/valores/nuevo/", views.value_new_view, name="value_new"),
]
