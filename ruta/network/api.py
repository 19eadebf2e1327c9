"""The network API under /api/v1/network/: networks, meetings and key figures, read-only.

Everything here is public. Anonymous callers see public meetings only; logged-in callers
(session or token) see every meeting, as on the web pages.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.lib.permissions import PUBLIC, HasCapability
from ruta.network import access
from ruta.network.figures import default_period, network_figures
from ruta.network.forms import PeriodForm
from ruta.network.models import Meeting, Network
from ruta.network.serializers import (
    FiguresSerializer,
    MeetingSerializer,
    NetworkDetailSerializer,
    NetworkSerializer,
)


class PublicAPI(APIView):
    permission_classes = [HasCapability]
    required_capability = PUBLIC


@extend_schema(tags=["network"], summary="Networks and communities of practice")
class NetworkListView(PublicAPI, generics.ListAPIView[Network]):
    serializer_class = NetworkSerializer
    queryset = Network.objects.all()


@extend_schema(tags=["network"], summary="One network with its member organizations")
class NetworkDetailView(PublicAPI, generics.RetrieveAPIView[Network]):
    serializer_class = NetworkDetailSerializer
    queryset = Network.objects.all()
    lookup_field = "slug"


@extend_schema(
    tags=["network"],
    summary="Meetings (public ones for anonymous callers)",
    parameters=[OpenApiParameter("network", OpenApiTypes.STR, description="Network slug")],
)
class MeetingListView(PublicAPI, generics.ListAPIView[Meeting]):
    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()  # for the schema

    def get_queryset(self) -> QuerySet[Meeting]:
        meetings = access.visible_meetings(self.request.user).prefetch_related(
            "host_organizations", "presenting_organizations"
        )
        slug = self.request.query_params.get("network")
        if slug:
            meetings = meetings.filter(network__slug=slug)
        return meetings.order_by("-starts_at")


@extend_schema(tags=["network"], summary="One meeting")
class MeetingDetailView(PublicAPI, generics.RetrieveAPIView[Meeting]):
    serializer_class = MeetingSerializer
    queryset = Meeting.objects.none()
    lookup_field = "uuid"

    def get_object(self) -> Meeting:
        return access.get_meeting(self.request.user, self.kwargs["uuid"])


@extend_schema(
    tags=["network"],
    summary="Key figures of a network for a period, computed from its records",
    parameters=[
        OpenApiParameter(
            "start",
            OpenApiTypes.DATE,
            description="First day (default: Jan 1 of the first meeting's year)",
        ),
        OpenApiParameter(
            "end", OpenApiTypes.DATE, description="Last day (default: Dec 31 of this year)"
        ),
    ],
    responses=FiguresSerializer,
)
class NetworkFiguresView(PublicAPI):
    def get(self, request: Request, slug: str) -> Response:
        network = access.get_network(slug)
        start, end = default_period(network)
        params: dict[str, Any] = {
            "start": request.query_params.get("start", start.isoformat()),
            "end": request.query_params.get("end", end.isoformat()),
        }
        form = PeriodForm(params)
        if not form.is_valid():
            raise ValidationError({k: [str(e) for e in v] for k, v in form.errors.items()})
        figures = network_figures(network, form.cleaned_data["start"], form.cleaned_data["end"])
        return Response(FiguresSerializer(figures.as_dict()).data)
