"""Community of practice: API routes under the ``network_api`` namespace (/api/v1/network/)."""

from __future__ import annotations

from django.urls import path

from ruta.network import api

app_name = "network_api"

urlpatterns = [
    path("networks/", api.NetworkListView.as_view(), name="network-list"),
    path("networks/<slug:slug>/", api.NetworkDetailView.as_view(), name="network-detail"),
    path("networks/<slug:slug>/figures/", api.NetworkFiguresView.as_view(), name="network-figures"),
    path("meetings/", api.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/<uuid:uuid>/", api.MeetingDetailView.as_view(), name="meeting-detail"),
]
