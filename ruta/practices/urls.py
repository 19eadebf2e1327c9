"""Good practices: HTML routes under the ``practices`` namespace (/practicas/)."""

from __future__ import annotations

from django.urls import path

from ruta.practices import views_manage, views_public, views_themes

app_name = "practices"

P = "<uuid:practice_uuid>/"

urlpatterns = [
    path("", views_public.catalogue_view, name="catalogue"),
    path("exportar.xlsx", views_public.export_xlsx_view, name="export_xlsx"),
    path("exportar.pdf", views_public.export_pdf_view, name="export_pdf"),
    path("gestion/", views_manage.manage_list_view, name="manage"),
    path("nueva/", views_manage.practice_create_view, name="create"),
    path("temas/", views_themes.themes_view, name="themes"),
    path("temas/<slug:code>/", views_themes.theme_edit_view, name="theme_edit"),
    path(P, views_public.practice_detail_view, name="detail"),
    path(f"{P}editar/", views_manage.practice_edit_view, name="edit"),
    path(f"{P}enviar/", views_manage.practice_submit_view, name="submit"),
    path(f"{P}revisar/", views_manage.practice_review_view, name="review"),
    path(f"{P}devolver/", views_manage.practice_return_view, name="return"),
    path(f"{P}publicar/", views_manage.practice_publish_view, name="publish"),
    path(f"{P}despublicar/", views_manage.practice_unpublish_view, name="unpublish"),
    path(f"{P}adjuntos/", views_manage.attachment_add_view, name="attachment_add"),
    path(
        f"{P}adjuntos/<uuid:attachment_uuid>/",
        views_public.attachment_view,
        name="attachment",
    ),
    path(
        f"{P}adjuntos/<uuid:attachment_uuid>/quitar/",
        views_manage.attachment_remove_view,
        name="attachment_remove",
    ),
]
