"""Read-only representations of networks, meetings and figures for /api/v1/network/."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ruta.agencies.models import Organization
from ruta.network.models import Meeting, Membership, Network


class OrganizationRefSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ["uuid", "name", "acronym", "website"]


class MembershipSerializer(serializers.ModelSerializer[Membership]):
    organization = OrganizationRefSerializer()

    class Meta:
        model = Membership
        fields = ["uuid", "organization", "joined_on", "left_on", "status"]


class NetworkSerializer(serializers.ModelSerializer[Network]):
    class Meta:
        model = Network
        fields = ["uuid", "name", "slug", "country", "description", "website"]


class NetworkDetailSerializer(NetworkSerializer):
    members = serializers.SerializerMethodField()

    class Meta(NetworkSerializer.Meta):
        fields = [*NetworkSerializer.Meta.fields, "members"]

    @extend_schema_field(MembershipSerializer(many=True))
    def get_members(self, network: Network) -> list[dict[str, Any]]:
        memberships = network.memberships.select_related("organization").order_by(
            "organization__name"
        )
        return list(MembershipSerializer(memberships, many=True).data)


class MeetingSerializer(serializers.ModelSerializer[Meeting]):
    network: serializers.SlugRelatedField[Network] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    host_organizations = OrganizationRefSerializer(many=True, read_only=True)
    presenting_organizations = OrganizationRefSerializer(many=True, read_only=True)
    topics = serializers.ListField(child=serializers.CharField(), read_only=True)
    topics_en = serializers.ListField(child=serializers.CharField(), read_only=True)
    iasc_layers = serializers.ListField(child=serializers.CharField(), read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "uuid",
            "network",
            "title",
            "title_en",
            "kind",
            "starts_at",
            "ends_at",
            "modality",
            "place",
            "host_organizations",
            "presenting_organizations",
            "topics",
            "topics_en",
            "iasc_layers",
            "agenda",
            "agenda_en",
            "learnings",
            "learnings_en",
            "public",
            "registration_open",
            "url",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, meeting: Meeting) -> str:
        request = self.context.get("request")
        path = meeting.get_absolute_url()
        return request.build_absolute_uri(path) if request is not None else path


class ModalityCountsSerializer(serializers.Serializer[Any]):
    online = serializers.IntegerField()
    in_person = serializers.IntegerField()
    hybrid = serializers.IntegerField()


class MeetingFiguresSerializer(serializers.Serializer[Any]):
    meeting = serializers.UUIDField()
    title = serializers.CharField()
    starts_at = serializers.DateTimeField()
    attendees = serializers.IntegerField()
    organizations = serializers.IntegerField()


class FiguresSerializer(serializers.Serializer[Any]):
    start = serializers.DateField()
    end = serializers.DateField()
    member_organizations = serializers.IntegerField()
    meetings = serializers.IntegerField()
    total_attendances = serializers.IntegerField()
    unique_attendees = serializers.IntegerField()
    regular_participants = serializers.IntegerField()
    regular_min_meetings = serializers.IntegerField()
    meetings_by_modality = ModalityCountsSerializer()
    average_organizations_per_meeting = serializers.FloatField()
    organizations_per_meeting = MeetingFiguresSerializer(many=True)
