"""Referrals API routes: /api/v1/referrals/ (see ruta/referrals/api.py)."""

from __future__ import annotations

from django.urls import path

from ruta.referrals import api

app_name = "referrals_api"

ONE = "<uuid:uuid>/"

urlpatterns = [
    path("", api.ReferralListView.as_view(), name="referral-list"),
    path(ONE, api.ReferralDetailView.as_view(), name="referral-detail"),
    path(f"{ONE}accept/", api.AcceptView.as_view(), name="referral-accept"),
    path(f"{ONE}decline/", api.DeclineView.as_view(), name="referral-decline"),
    path(f"{ONE}complete/", api.CompleteView.as_view(), name="referral-complete"),
    path(f"{ONE}revoke/", api.RevokeView.as_view(), name="referral-revoke"),
]
