"""The public practices API under /api/v1/practices/: published practices only, with the
catalogue's filters (country, theme, layer, sdg, gcm, organization, q)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from ruta.lib.permissions import PUBLIC, HasCapability
from ruta.practices.access import public_practices
from ruta.practices.models import Practice
from ruta.practices.search import PracticeQuery, find_practices, with_full_data
from ruta.practices.serializers import PracticeSerializer

FILTERS = [
    OpenApiParameter(
        "q", OpenApiTypes.STR, description="Words, Spanish or English; accent- and case-insensitive"
    ),
    OpenApiParameter("country", OpenApiTypes.STR, description="ISO 3166-1 alpha-2 code, e.g. SV"),
    OpenApiParameter("theme", OpenApiTypes.STR, description="Theme code, e.g. mhpss"),
    OpenApiParameter("layer", OpenApiTypes.INT, description="IASC layer, 1 to 4"),
    OpenApiParameter("sdg", OpenApiTypes.INT, description="Sustainable Development Goal, 1 to 17"),
    OpenApiParameter(
        "gcm", OpenApiTypes.INT, description="Global Compact for Migration objective, 1 to 23"
    ),
    OpenApiParameter("organization", OpenApiTypes.UUID, description="Organization UUID"),
]


class PracticeAPIMixin(generics.GenericAPIView[Practice]):
    permission_classes = [HasCapability]
    required_capability = PUBLIC
    serializer_class = PracticeSerializer
    lookup_field = "uuid"
    queryset = Practice.objects.none()  # for the schema; get_queryset gives published ones

    def base(self) -> QuerySet[Practice]:
        return with_full_data(public_practices())


@extend_schema(tags=["practices"], summary="Published good practices", parameters=FILTERS)
class PracticeListView(PracticeAPIMixin, generics.ListAPIView[Practice]):
    def get_queryset(self) -> QuerySet[Practice]:
        query = PracticeQuery.from_params(self.request.query_params)
        return find_practices(self.base(), query)


@extend_schema(tags=["practices"], summary="One published good practice")
class PracticeDetailView(PracticeAPIMixin, generics.RetrieveAPIView[Practice]):
    def get_queryset(self) -> QuerySet[Practice]:
        return self.base()
