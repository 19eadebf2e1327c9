"""The indicators and projects API (read-only): /api/v1/indicators/ and /api/v1/projects/.

Who reads: ``Cap.VIEW_REACH`` (``access.can_read``): the coordinator and analysts the whole
network's figures and projects, agency admins and supervisors their own organization's;
any other role gets 403, an anonymous caller 401.

- ``indicators/``: every framework's indicators, filtered by ``framework`` (its code) and
  ``level``. An indicator is named by its framework's code and its own code
  (``indicators/ruta-network/R4/``): the published codes, the same in every installation.
- ``indicators/<framework>/<code>/results/``: the result for each month, quarter or year
  of a period (at most ``MAX_PERIODS``), for the network, one organization or one region.
- ``projects/`` and ``projects/<uuid>/``: the projects the reader sees
  (``access.visible_projects``); the detail sets each target beside the result for the
  same period (computed on each request, so the list leaves it out).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.accounts.http import signed_in
from ruta.indicators import access, results
from ruta.indicators.filters import IndicatorFilter, ProjectFilter
from ruta.indicators.models import Indicator, Project, ProjectIndicator
from ruta.indicators.serializers import (
    MAX_PERIODS,
    IndicatorResultsSerializer,
    IndicatorSerializer,
    ProjectDetailSerializer,
    ProjectSerializer,
    ResultsQuerySerializer,
    period_result,
)
from ruta.lib.permissions import Cap, HasCapability
from ruta.measure.api_query import MONTH_PATTERN, read_query

TAGS = ["indicators"]
INDICATOR_PATH = [
    OpenApiParameter(
        "framework", OpenApiTypes.STR, OpenApiParameter.PATH, description="The framework's code"
    ),
    OpenApiParameter(
        "code", OpenApiTypes.STR, OpenApiParameter.PATH, description="The indicator's code"
    ),
]
RESULTS_QUERY = [
    OpenApiParameter(
        "start",
        OpenApiTypes.STR,
        pattern=MONTH_PATTERN,
        description="First month, YYYY-MM (default: 11 months before the last).",
    ),
    OpenApiParameter(
        "end",
        OpenApiTypes.STR,
        pattern=MONTH_PATTERN,
        description="Last month, YYYY-MM (default: this month).",
    ),
    OpenApiParameter(
        "granularity",
        OpenApiTypes.STR,
        enum=results.Granularity.ALL,
        default=results.Granularity.MONTH,
        description=f"One result per month, quarter or year; at most {MAX_PERIODS} periods.",
    ),
    OpenApiParameter(
        "organization",
        OpenApiTypes.UUID,
        description="Only this organization's figures. A reader of their own organization's "
        "figures always gets those: another organization answers 400.",
    ),
    OpenApiParameter(
        "admin1", OpenApiTypes.STR, description="Only this region (its code, e.g. PE-LIM)."
    ),
]


def _indicators() -> QuerySet[Indicator]:
    return Indicator.objects.select_related("framework", "parent")


def _indicator(framework: str, code: str) -> Indicator:
    return get_object_or_404(_indicators(), framework__code=framework, code=code)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="The indicators of every framework"),
    retrieve=extend_schema(summary="One indicator", parameters=INDICATOR_PATH),
)
class IndicatorViewSet(viewsets.ReadOnlyModelViewSet[Indicator]):
    permission_classes = [HasCapability]
    required_capability = Cap.VIEW_REACH
    serializer_class = IndicatorSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = IndicatorFilter
    queryset = Indicator.objects.none()  # for the schema; get_queryset reads the table

    def get_queryset(self) -> QuerySet[Indicator]:
        return _indicators()

    def get_object(self) -> Indicator:
        return _indicator(self.kwargs["framework"], self.kwargs["code"])


@extend_schema(
    tags=TAGS,
    summary="An indicator's result for each month, quarter or year of a period",
    parameters=[*INDICATOR_PATH, *RESULTS_QUERY],
    responses=IndicatorResultsSerializer,
)
class IndicatorResultsView(APIView):
    permission_classes = [HasCapability]
    required_capability = Cap.VIEW_REACH

    def get(self, request: Request, framework: str, code: str) -> Response:
        indicator = _indicator(framework, code)
        if not indicator.measured:
            raise ValidationError(
                {"indicator": [_("A goal or an outcome is a heading: it has no results.")]}
            )
        query = read_query(request, ResultsQuerySerializer)
        asked, admin1 = query.asked, query.admin1
        organization_ids, organization = query.organization_ids, query.organization
        series = results.series(
            indicator,
            asked["start"],
            asked["end"],
            asked["granularity"],
            organization_ids,
            frozenset({admin1}) if admin1 else None,
        )
        data = {
            "framework": indicator.framework.code,
            "code": indicator.code,
            "unit": indicator.unit,
            "granularity": asked["granularity"],
            "start": asked["start"],
            "end": asked["end"],
            "organization": organization.uuid if organization else None,
            "admin1": admin1 or None,
            "periods": [period_result(start, end, found) for start, end, found in series],
        }
        return Response(IndicatorResultsSerializer(data).data)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="The projects you can see (their progress: in the detail)"),
    retrieve=extend_schema(summary="One project, each indicator's targets beside its results"),
)
class ProjectViewSet(viewsets.ReadOnlyModelViewSet[Project]):
    permission_classes = [HasCapability]
    required_capability = Cap.VIEW_REACH
    lookup_field = "uuid"
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilter
    queryset = Project.objects.none()  # for the schema; get_queryset scopes per user

    def get_queryset(self) -> QuerySet[Project]:
        found = access.visible_projects(signed_in(self.request)).annotate(
            indicator_count=Count("indicators")
        )
        if self.action == "retrieve":
            found = found.prefetch_related(
                Prefetch(
                    "indicators",
                    queryset=ProjectIndicator.objects.select_related(
                        "indicator__framework"
                    ).prefetch_related("targets"),
                )
            )
        return found.order_by("-starts_on", "name", "pk")

    def get_serializer_class(self) -> Any:
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectSerializer
