"""Helpline API routes: /api/v1/helpline/ (see ruta/helpline/api.py)."""

from __future__ import annotations

from django.urls import path

from ruta.helpline import api

app_name = "helpline_api"

urlpatterns = [
    path(
        "contacts/",
        api.ContactViewSet.as_view({"get": "list", "post": "create"}),
        name="contact-list",
    ),
    path(
        "contacts/<uuid:uuid>/",
        api.ContactViewSet.as_view({"get": "retrieve", "patch": "partial_update"}),
        name="contact-detail",
    ),
    path(
        "contacts/<uuid:uuid>/close/",
        api.ContactViewSet.as_view({"post": "close"}),
        name="contact-close",
    ),
    path("callbacks/", api.CallbackViewSet.as_view({"get": "list"}), name="callback-list"),
    path(
        "callbacks/<uuid:uuid>/",
        api.CallbackViewSet.as_view({"get": "retrieve"}),
        name="callback-detail",
    ),
    path(
        "callbacks/<uuid:uuid>/finish/",
        api.CallbackViewSet.as_view({"post": "finish"}),
        name="callback-finish",
    ),
    path("figures/", api.FiguresView.as_view(), name="figures"),
]
