"""Referral pages under ``/derivaciones/`` (namespace ``referrals``)."""

from __future__ import annotations

from django.urls import path

from ruta.referrals import views

app_name = "referrals"

REFERRAL = "<uuid:referral_uuid>/"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("nueva/<uuid:case_uuid>/", views.pick_view, name="pick"),
    path("nueva/<uuid:case_uuid>/<uuid:service_uuid>/", views.send_view, name="send"),
    path(REFERRAL, views.detail_view, name="detail"),
    path(f"{REFERRAL}aceptar/", views.accept_view, name="accept"),
    path(f"{REFERRAL}rechazar/", views.decline_view, name="decline"),
    path(f"{REFERRAL}asignar/", views.assign_view, name="assign"),
    path(f"{REFERRAL}completar/", views.complete_view, name="complete"),
    path(f"{REFERRAL}revocar/", views.revoke_view, name="revoke"),
    path(f"{REFERRAL}formulario/", views.form_pdf_view, name="form_pdf"),  # a secure export
]
