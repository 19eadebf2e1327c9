"""Gazetteer imports for coordinators, under /directorio/gazetteer/."""

from django.urls import path

from ruta.directory import views_gazetteer

app_name = "gazetteer"

urlpatterns = [
    path("", views_gazetteer.upload_view, name="upload"),
    path("revisar/", views_gazetteer.review_view, name="review"),
    path("confirmar/", views_gazetteer.confirm_view, name="confirm"),
]
