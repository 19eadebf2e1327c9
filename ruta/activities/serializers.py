"""Representations of activities and their sessions for the API (read-only).

Counts only: a session gives its anonymous counts (R4V's population types by sex and age,
with the LGBTIQ+ and disability counts among them) and how many registered participants
attended; never a participant's code, its hash or a name. The facilitators (accounts and
names typed by hand) are left out too.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ruta.activities.models import (
    Activity,
    ActivityType,
    Session,
    SessionCount,
    SessionModality,
)
from ruta.agencies.models import Organization


class ActivityOrganizationSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ["uuid", "acronym", "name"]
        read_only_fields = fields


class ActivityTypeRefSerializer(serializers.ModelSerializer[ActivityType]):
    class Meta:
        model = ActivityType
        fields = ["code", "name_es", "name_en"]
        read_only_fields = fields


class SessionCountSerializer(serializers.ModelSerializer[SessionCount]):
    total = serializers.IntegerField(
        read_only=True, help_text="Girls, boys, women, men and other added up."
    )

    class Meta:
        model = SessionCount
        fields = [
            "population_type",
            "girls",
            "boys",
            "women",
            "men",
            "other",
            "lgbtiq",
            "disability",
            "total",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "lgbtiq": {"help_text": "Of the people counted, how many are LGBTIQ+."},
            "disability": {"help_text": "Of the people counted, how many have a disability."},
        }


def _anonymous(session: Session) -> int:
    return sum(count.total for count in session.counts.all())


class SessionSerializer(serializers.ModelSerializer[Session]):
    counts = SessionCountSerializer(
        many=True, read_only=True, help_text="Anonymous counts, one per population type."
    )
    anonymous = serializers.SerializerMethodField(
        help_text="People counted anonymously (the counts' totals added up)."
    )
    registered = serializers.IntegerField(
        read_only=True, help_text="Registered participants marked present (a number only)."
    )

    class Meta:
        model = Session
        fields = ["uuid", "date", "modality", "counts", "anonymous", "registered"]
        read_only_fields = fields

    def get_anonymous(self, session: Session) -> int:
        return _anonymous(session)


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    organization = ActivityOrganizationSerializer(read_only=True)
    activity_type = ActivityTypeRefSerializer(read_only=True)
    layers = serializers.SerializerMethodField(
        help_text="IASC MHPSS intervention pyramid layers (1 to 4), in order."
    )
    admin1: Any = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="Region code (admin 1)."
    )
    admin2: Any = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="District code (admin 2)."
    )
    service: Any = serializers.SlugRelatedField(
        slug_field="uuid",
        read_only=True,
        allow_null=True,
        help_text="The directory service the activity is part of; null for none.",
    )
    modalities = serializers.SerializerMethodField(
        help_text="How its sessions were held (each modality once); empty without sessions."
    )
    anonymous = serializers.SerializerMethodField(
        help_text="People counted anonymously over all sessions (may count a person twice)."
    )
    registered = serializers.IntegerField(
        read_only=True,
        help_text="Registered participants who attended a session, each counted once.",
    )
    sessions = SessionSerializer(many=True, read_only=True, help_text="Oldest first.")

    class Meta:
        model = Activity
        fields = [
            "uuid",
            "title",
            "organization",
            "activity_type",
            "layers",
            "sector",
            "admin1",
            "admin2",
            "service",
            "modalities",
            "anonymous",
            "registered",
            "created_at",
            "sessions",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=4))
    )
    def get_layers(self, activity: Activity) -> list[int]:
        return sorted(activity.layers)

    @extend_schema_field(
        serializers.ListField(child=serializers.ChoiceField(SessionModality.choices))
    )
    def get_modalities(self, activity: Activity) -> list[str]:
        held = {session.modality for session in activity.sessions.all()}
        return [modality for modality in SessionModality.values if modality in held]

    def get_anonymous(self, activity: Activity) -> int:
        return sum(_anonymous(session) for session in activity.sessions.all())
