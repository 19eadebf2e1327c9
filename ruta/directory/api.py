"""The directory's editing API under /api/v1/directory/ (token or session authentication).

Reading (list, retrieve) is open to every logged-in account and shows what
``access.visible_services`` / ``visible_locations`` allow: published entries plus the
person's own organization's drafts. Writing (create, PUT, PATCH) needs
``Cap.MANAGE_AGENCY_SERVICES`` (403 without it) and reaches only what
``access.editable_*`` returns: an entry out of reach is 404, and naming another
organization in a new entry is a 400 with the reason on ``organization``.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from ruta.accounts.http import signed_in
from ruta.directory import access
from ruta.directory.models import (
    Location,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
)
from ruta.directory.search import FinderQuery, find_services
from ruta.directory.serializers import (
    AdminAreaSerializer,
    LocationSerializer,
    ServiceSerializer,
    TaxonomyTermSerializer,
)
from ruta.lib.filters import UtcDateTimeFilter
from ruta.lib.permissions import AUTHENTICATED, Cap, HasCapability, user_can
from ruta.places.models import AdminArea


class HasWriteCapability(BasePermission):
    """Unsafe methods also need ``view.write_capability`` (a denial is audited)."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS:
            return True
        capability: Cap = view.write_capability  # type: ignore[attr-defined]
        if user_can(request.user, capability):
            return True
        from ruta.audit.actions import record_denial

        record_denial(request._request, capability.value)
        return False


class DirectoryViewSet(viewsets.GenericViewSet[Any]):
    permission_classes = [HasCapability, HasWriteCapability]
    required_capability = AUTHENTICATED
    write_capability = Cap.MANAGE_AGENCY_SERVICES
    lookup_field = "uuid"
    filter_backends = [DjangoFilterBackend]

    @property
    def reading(self) -> bool:
        return self.request.method in SAFE_METHODS


# --- Services -----------------------------------------------------------------------


class ServiceFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ServiceStatus.choices)
    organization = django_filters.UUIDFilter(
        field_name="organization__uuid", label="Organization UUID"
    )
    modified_after = UtcDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Changed at or after (ISO 8601)"
    )
    search = django_filters.CharFilter(
        method="filter_search", label="Words, accent- and case-insensitive"
    )

    class Meta:
        model = Service
        fields: list[str] = []

    def filter_search(self, queryset: QuerySet[Service], name: str, value: str) -> Any:
        return find_services(queryset, FinderQuery(text=value))


@extend_schema(tags=["directory"])
@extend_schema_view(
    list=extend_schema(summary="List the services you can see"),
    retrieve=extend_schema(summary="One service"),
    create=extend_schema(summary="Add a service (editors)"),
    update=extend_schema(summary="Replace a service (editors)"),
    partial_update=extend_schema(summary="Change some fields of a service (editors)"),
)
class ServiceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    DirectoryViewSet,
):
    serializer_class = ServiceSerializer
    filterset_class = ServiceFilter
    queryset = Service.objects.none()  # for the schema; get_queryset scopes per user

    def get_queryset(self) -> QuerySet[Service]:
        user = signed_in(self.request)
        scope = access.visible_services if self.reading else access.editable_services
        services = scope(user)
        return (
            services.select_related("organization")
            .prefetch_related(
                "phones",
                "schedules",
                Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
                Prefetch(
                    "service_at_locations",
                    queryset=ServiceAtLocation.objects.select_related("location"),
                ),
                Prefetch("service_areas", queryset=ServiceArea.objects.select_related("area")),
            )
            .order_by("name_es", "pk")
        )


# --- Locations ----------------------------------------------------------------------


class LocationFilter(django_filters.FilterSet):
    organization = django_filters.UUIDFilter(
        field_name="organization__uuid", label="Organization UUID"
    )
    admin1 = django_filters.CharFilter(field_name="admin1__code", label="Region code")
    country = django_filters.CharFilter(field_name="country", lookup_expr="iexact")
    modified_after = UtcDateTimeFilter(
        field_name="updated_at", lookup_expr="gte", label="Changed at or after (ISO 8601)"
    )

    class Meta:
        model = Location
        fields: list[str] = []


@extend_schema(tags=["directory"])
@extend_schema_view(
    list=extend_schema(summary="List the locations you can see"),
    retrieve=extend_schema(summary="One location"),
    create=extend_schema(summary="Add a location (editors)"),
    update=extend_schema(summary="Replace a location (editors)"),
    partial_update=extend_schema(summary="Change some fields of a location (editors)"),
)
class LocationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    DirectoryViewSet,
):
    serializer_class = LocationSerializer
    filterset_class = LocationFilter
    queryset = Location.objects.none()

    def get_queryset(self) -> QuerySet[Location]:
        user = signed_in(self.request)
        locations = (
            access.visible_locations(user) if self.reading else access.editable_locations(user)
        )
        return locations.select_related("organization", "admin1", "admin2").order_by("name", "pk")


# --- Vocabularies (read-only) -------------------------------------------------------


class TermFilter(django_filters.FilterSet):
    taxonomy = django_filters.CharFilter(field_name="taxonomy__code", label="Taxonomy code")
    active = django_filters.BooleanFilter()

    class Meta:
        model = TaxonomyTerm
        fields: list[str] = []


@extend_schema(tags=["directory"])
class TaxonomyTermViewSet(viewsets.ReadOnlyModelViewSet[TaxonomyTerm]):
    permission_classes = [HasCapability]
    required_capability = AUTHENTICATED
    serializer_class = TaxonomyTermSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TermFilter
    lookup_field = "uuid"
    queryset = TaxonomyTerm.objects.select_related("taxonomy", "parent").order_by(
        "taxonomy__code", "position", "code"
    )


class AreaFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(field_name="country", lookup_expr="iexact")
    level = django_filters.NumberFilter()
    parent = django_filters.CharFilter(field_name="parent__code", label="Parent area code")

    class Meta:
        model = AdminArea
        fields: list[str] = []


@extend_schema(tags=["directory"])
class AdminAreaViewSet(viewsets.ReadOnlyModelViewSet[AdminArea]):
    permission_classes = [HasCapability]
    required_capability = AUTHENTICATED
    serializer_class = AdminAreaSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AreaFilter
    lookup_field = "code"
    queryset = AdminArea.objects.select_related("parent").order_by("country", "level", "code")
