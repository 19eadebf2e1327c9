"""Case management API routes: /api/v1/cases/ (see ruta/cases/api.py)."""

from __future__ import annotations

from typing import Any

from django.urls import path

from ruta.cases import api

app_name = "cases_api"

LIST: dict[str, Any] = {"get": "list", "post": "create"}
DETAIL: dict[str, Any] = {"get": "retrieve", "patch": "partial_update"}
CASE = "<uuid:case_uuid>/"

urlpatterns = [
    path("", api.CaseViewSet.as_view(LIST), name="case-list"),
    path("<uuid:uuid>/", api.CaseViewSet.as_view(DETAIL), name="case-detail"),
    path(f"{CASE}consents/", api.ConsentListView.as_view(), name="consent-list"),
    path(
        f"{CASE}consents/<uuid:uuid>/withdraw/",
        api.ConsentWithdrawView.as_view(),
        name="consent-withdraw",
    ),
    path(f"{CASE}incidents/", api.IncidentListView.as_view(), name="incident-list"),
    path(f"{CASE}assessments/", api.AssessmentListView.as_view(), name="assessment-list"),
    path(f"{CASE}plan/", api.PlanView.as_view(), name="plan"),
    path(f"{CASE}plan/goals/", api.GoalCreateView.as_view(), name="goal-list"),
    path(
        f"{CASE}plan/goals/<uuid:uuid>/actions/",
        api.PlanActionCreateView.as_view(),
        name="plan-action-list",
    ),
    path(
        f"{CASE}plan/actions/<uuid:uuid>/",
        api.PlanActionDetailView.as_view(),
        name="plan-action-detail",
    ),
    path(f"{CASE}safety-plan/", api.SafetyPlanView.as_view(), name="safety-plan"),
    path(f"{CASE}follow-ups/", api.FollowUpListView.as_view(), name="follow-up-list"),
    path(f"{CASE}measures/", api.MeasureListView.as_view(), name="measure-list"),
    path(f"{CASE}closure/", api.ClosureListView.as_view(), name="closure-list"),
    path(f"{CASE}reopen/", api.ReopenView.as_view(), name="reopen"),
    path(f"{CASE}storage-choice/", api.StorageChoiceView.as_view(), name="storage-choice"),
    path(f"{CASE}approvals/", api.ApprovalListView.as_view(), name="approval-list"),
    path(
        f"{CASE}approvals/<uuid:uuid>/decision/",
        api.ApprovalDecisionView.as_view(),
        name="approval-decision",
    ),
]
