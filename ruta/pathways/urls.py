"""Referral pathways: /rutas/ (and /en/rutas/). Reading is public for published pathways."""

from django.urls import path

from ruta.pathways import views

app_name = "pathways"

urlpatterns = [
    path("", views.pathway_list_view, name="list"),
    path("nueva/", views.pathway_create_view, name="create"),
    path("<uuid:pathway_uuid>/", views.pathway_detail_view, name="detail"),
    path("<uuid:pathway_uuid>/editar/", views.pathway_edit_view, name="edit"),
    path("<uuid:pathway_uuid>/celda/", views.pathway_cell_view, name="cell"),
    path("<uuid:pathway_uuid>/filas/", views.pathway_add_row_view, name="add_row"),
    path("<uuid:pathway_uuid>/filas/quitar/", views.pathway_remove_row_view, name="remove_row"),
    path("<uuid:pathway_uuid>/estado/", views.pathway_status_view, name="status"),
    path("<uuid:pathway_uuid>/verificar/", views.pathway_verify_view, name="verify"),
    path("<uuid:pathway_uuid>/ruta.xlsx", views.pathway_xlsx_view, name="xlsx"),
    path("<uuid:pathway_uuid>/ruta.pdf", views.pathway_pdf_view, name="pdf"),
]
