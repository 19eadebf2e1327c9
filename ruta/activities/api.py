"""The activities API (read-only): /api/v1/activities/ and /api/v1/activities/<uuid>/.

Who reads: the people who record activities (``Cap.RECORD_ACTIVITIES``: caseworkers,
supervisors and coordinators), as on the activities pages; each sees the activities of
their own organization only (``access.visible_activities``), another organization's
activity answers 404. Any other role gets 403, an anonymous caller 401.

Each activity comes with its sessions and their figures: anonymous counts and the number
of registered participants present, never who they are (see ``serializers``).
"""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from ruta.accounts.http import signed_in
from ruta.activities import access
from ruta.activities.filters import ActivityFilter
from ruta.activities.models import Activity, Session, SessionCount
from ruta.activities.serializers import ActivitySerializer
from ruta.lib.permissions import Cap, HasCapability


def activities_with_sessions(found: QuerySet[Activity]) -> QuerySet[Activity]:
    """``found`` with what the serializer reads, in a fixed number of queries."""
    sessions = Session.objects.annotate(registered=Count("attendance")).order_by("date", "pk")
    counts = SessionCount.objects.order_by("population_type")
    return (
        found.select_related("organization", "activity_type", "admin1", "admin2", "service")
        .annotate(registered=Count("sessions__attendance__participant", distinct=True))
        .prefetch_related(
            Prefetch("sessions", queryset=sessions),
            Prefetch("sessions__counts", queryset=counts),
        )
    )


@extend_schema(tags=["activities"])
@extend_schema_view(
    list=extend_schema(summary="Your organization's group and community activities"),
    retrieve=extend_schema(summary="One activity, with its sessions and their counts"),
)
class ActivityViewSet(viewsets.ReadOnlyModelViewSet[Activity]):
    permission_classes = [HasCapability]
    required_capability = Cap.RECORD_ACTIVITIES
    serializer_class = ActivitySerializer
    lookup_field = "uuid"
    filter_backends = [DjangoFilterBackend]
    filterset_class = ActivityFilter
    queryset = Activity.objects.none()  # for the schema; get_queryset scopes per user

    def get_queryset(self) -> QuerySet[Activity]:
        found = access.visible_activities(signed_in(self.request))
        return activities_with_sessions(found).order_by("-created_at", "-pk")
