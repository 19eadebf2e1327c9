"""The trainings API under /api/v1/trainings/ (read-only).

Courses: any logged-in user, scoped by ``access.visible_courses`` (drafts only for
coordinators). Figures: ``Cap.VIEW_AGGREGATES``, computed by ``figures.compute``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.lib.permissions import AUTHENTICATED, Cap, HasCapability
from ruta.trainings import access
from ruta.trainings.models import Course, Module, TrainingSession
from ruta.trainings.rules import course_counts
from ruta.trainings.serializers import (
    CourseDetailSerializer,
    CourseSerializer,
    TrainingFiguresSerializer,
)
from ruta.trainings.views_figures import filtered_figures

TAGS = ["trainings"]


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="List the courses you can see"),
    retrieve=extend_schema(summary="One course with its modules and sessions"),
)
class CourseViewSet(viewsets.ReadOnlyModelViewSet[Course]):
    permission_classes = [HasCapability]
    required_capability = AUTHENTICATED
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Course]:
        courses = course_counts(access.visible_courses(self.request.user)).select_related("network")
        courses = courses.prefetch_related("organizers")
        if self.action == "retrieve":
            courses = courses.prefetch_related(
                Prefetch("modules", queryset=Module.objects.order_by("order", "pk")),
                Prefetch(
                    "sessions",
                    queryset=TrainingSession.objects.select_related("module").order_by("starts_at"),
                ),
            )
        return courses.order_by("-starts_on", "title")

    def get_serializer_class(self) -> Any:
        return CourseDetailSerializer if self.action == "retrieve" else CourseSerializer


def _pairs(items: list[tuple[str, int]]) -> list[dict[str, Any]]:
    return [{"label": label, "count": count} for label, count in items]


@extend_schema(
    tags=TAGS,
    summary="Training figures: people trained by organization, country and sex; per course",
    parameters=[
        OpenApiParameter("network", OpenApiTypes.STR, description="Network slug"),
        OpenApiParameter("start", OpenApiTypes.DATE, description="Period start (YYYY-MM-DD)"),
        OpenApiParameter("end", OpenApiTypes.DATE, description="Period end (YYYY-MM-DD)"),
    ],
    responses=TrainingFiguresSerializer,
)
class FiguresView(APIView):
    permission_classes = [HasCapability]
    required_capability = Cap.VIEW_AGGREGATES

    def get(self, request: Request) -> Response:
        form, result = filtered_figures(request.query_params)
        if request.query_params and not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        data = {
            "people_trained": result.people_trained,
            "courses": [item.as_dict() for item in result.courses],
            "by_organization": _pairs(result.by_organization),
            "by_country": _pairs(result.by_country),
            "by_sex": _pairs(result.by_sex),
        }
        return Response(TrainingFiguresSerializer(data).data)
