"""Routes of cash-transfer stabilisation, mounted at ``estabilizacion/``."""

from __future__ import annotations

from typing import Any

from django.urls import path

from ruta.stabilisation import views

app_name = "stabilisation"

urlpatterns: list[Any] = [
    path("", views.programme_list_view, name="programmes"),
    path("programas/nuevo/", views.programme_form_view, name="programme_create"),
    path("programas/<uuid:programme_uuid>/", views.programme_detail_view, name="programme"),
    path(
        "programas/<uuid:programme_uuid>/editar/",
        views.programme_form_view,
        name="programme_edit",
    ),
    path("programas/<uuid:programme_uuid>/cola/", views.queue_view, name="queue"),
    path("programas/<uuid:programme_uuid>/pagos/", views.import_view, name="import"),
    path(
        "beneficiarios/<uuid:beneficiary_uuid>/",
        views.beneficiary_view,
        name="beneficiary",
    ),
    path(
        "beneficiarios/<uuid:beneficiary_uuid>/valoracion/",
        views.check_view,
        name="check",
    ),
    path(
        "beneficiarios/<uuid:beneficiary_uuid>/contacto/",
        views.contact_view,
        name="contact",
    ),
    path("pagos/<uuid:payment_uuid>/", views.payment_view, name="payment"),
    path("cifras/", views.figures_view, name="figures"),
]
