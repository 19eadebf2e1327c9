"""Routes of the notifications page, mounted at ``casos/notificaciones/`` (its old address)."""

from __future__ import annotations

from typing import Any

from django.urls import path

from ruta.notifications import views

app_name = "notifications"

urlpatterns: list[Any] = [
    path("", views.notifications_view, name="list"),
    path("leidas/", views.notifications_read_view, name="read"),
]
