"""Routes of case management: work (composed into the ``cases`` namespace by urls.py).

A caseworker's day, the supervisor's team view and approvals (the notifications page is
``ruta.notifications``, mounted at ``casos/notificaciones/``).
"""

from __future__ import annotations

from typing import Any

from django.urls import path

from ruta.cases import views_work

urlpatterns: list[Any] = [
    path("hoy/", views_work.today_view, name="today"),
    path("equipo/", views_work.team_view, name="team"),
    path(
        "<uuid:case_uuid>/aprobaciones/solicitar/",
        views_work.approval_request_view,
        name="approval_request",
    ),
    path(
        "aprobaciones/<uuid:approval_uuid>/",
        views_work.approval_decide_view,
        name="approval_decide",
    ),
]
