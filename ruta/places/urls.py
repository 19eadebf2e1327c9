"""Gazetteer imports for coordinators, under /directorio/gazetteer/."""

from django.urls import path

from ruta.places import views

app_name = "gazetteer"

urlpatterns = [
    path("", views.upload_view, name="upload"),
    path("revisar/", views.review_view, name="review"),
    path("confirmar/", views.confirm_view, name="confirm"),
    path("limites/", views.boundaries_view, name="boundaries"),
]
