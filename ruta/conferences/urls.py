"""Case conferences: HTML routes under the ``conferences`` namespace."""

from __future__ import annotations

from typing import Any

from django.urls import path

from ruta.conferences import views, views_record

app_name = "conferences"

CONF = "<uuid:conference_uuid>/"

urlpatterns: list[Any] = [
    path("", views.my_conferences_view, name="my_conferences"),
    path("mis-acciones/", views.my_actions_view, name="my_actions"),
    path("caso/<uuid:case_uuid>/", views.case_conferences_view, name="case_conferences"),
    path("caso/<uuid:case_uuid>/convocar/", views.convene_view, name="convene"),
    path(CONF, views.conference_detail_view, name="conference_detail"),
    path(f"{CONF}confidencialidad/", views.acknowledge_view, name="acknowledge"),
    path(f"{CONF}participantes/", views_record.participants_add_view, name="participants_add"),
    path(f"{CONF}acta/", views_record.minutes_view, name="minutes"),
    path(f"{CONF}decisiones/", views_record.decision_create_view, name="decision_create"),
    path(f"{CONF}acciones/", views_record.action_create_view, name="action_create"),
    path(
        f"{CONF}acciones/<uuid:action_uuid>/hecha/",
        views_record.action_done_view,
        name="action_done",
    ),
    path(f"{CONF}estado/<slug:transition>/", views_record.status_view, name="status"),
]
