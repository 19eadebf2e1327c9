"""Routes of the helpline desk, mounted at ``linea/``."""

from __future__ import annotations

from typing import Any

from django.urls import path

from ruta.helpline import views

app_name = "helpline"

urlpatterns: list[Any] = [
    path("", views.desk_view, name="desk"),
    path("contactos/nuevo/", views.contact_create_view, name="contact_create"),
    path("contactos/<uuid:contact_uuid>/", views.contact_detail_view, name="contact_detail"),
    path("contactos/<uuid:contact_uuid>/editar/", views.contact_edit_view, name="contact_edit"),
    path(
        "contactos/<uuid:contact_uuid>/primeros-auxilios/",
        views.first_aid_view,
        name="contact_first_aid",
    ),
    path("contactos/<uuid:contact_uuid>/riesgo/", views.risk_view, name="contact_risk"),
    path("contactos/<uuid:contact_uuid>/cerrar/", views.contact_close_view, name="contact_close"),
    path("contactos/<uuid:contact_uuid>/debriefing/", views.debrief_view, name="contact_debrief"),
    path(
        "contactos/<uuid:contact_uuid>/revisado/",
        views.contact_review_view,
        name="contact_review",
    ),
    path(
        "contactos/<uuid:contact_uuid>/devolucion/",
        views.callback_create_view,
        name="callback_create",
    ),
    path(
        "alertas/<uuid:alert_uuid>/recibida/",
        views.alert_acknowledge_view,
        name="alert_acknowledge",
    ),
    path("devoluciones/<uuid:callback_uuid>/", views.callback_detail_view, name="callback_detail"),
    path(
        "devoluciones/<uuid:callback_uuid>/cerrar/",
        views.callback_finish_view,
        name="callback_finish",
    ),
    path(
        "contactos/<uuid:contact_uuid>/derivar/",
        views.handoff_view,
        name="contact_handoff",
    ),
    path("relevo/", views.handover_create_view, name="handover_create"),
    path("relevo/<uuid:handover_uuid>/", views.handover_detail_view, name="handover_detail"),
    path(
        "relevo/<uuid:handover_uuid>/leido/",
        views.handover_acknowledge_view,
        name="handover_acknowledge",
    ),
    path("cifras/", views.figures_view, name="figures"),
    path("supervision/", views.supervision_view, name="supervision"),
    path("supervision/protocolo/", views.protocol_edit_view, name="protocol"),
]
