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
        api.ContactViewSet.as_view({"get": "retrieve"}),
        name="contact-detail",
    ),
    path("callbacks/", api.CallbackViewSet.as_view({"get": "list"}), name="callback-list"),
    path(
        "callbacks/<uuid:uuid>/",
        api.CallbackViewSet.as_view({"get": "retrieve"}),
        name="callback-detail",
    ),
    path("figures/", api.FiguresView.as_view(), name="figures"),
]
