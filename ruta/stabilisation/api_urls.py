"""Stabilisation: API routes under the ``stabilisation_api`` namespace
(/api/v1/stabilisation/)."""

from __future__ import annotations

from django.urls import path

from ruta.stabilisation import api

app_name = "stabilisation_api"

urlpatterns = [
    path("programmes/", api.ProgrammeViewSet.as_view({"get": "list"}), name="programme-list"),
    path(
        "programmes/<uuid:uuid>/",
        api.ProgrammeViewSet.as_view({"get": "retrieve"}),
        name="programme-detail",
    ),
    path(
        "beneficiaries/",
        api.BeneficiaryViewSet.as_view({"get": "list"}),
        name="beneficiary-list",
    ),
    path(
        "beneficiaries/<uuid:uuid>/",
        api.BeneficiaryViewSet.as_view({"get": "retrieve"}),
        name="beneficiary-detail",
    ),
    path("payments/", api.PaymentImportView.as_view(), name="payment-import"),
    path("figures/", api.FiguresView.as_view(), name="figures"),
]
