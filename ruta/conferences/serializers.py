"""API shapes of a conference. Only a minimal case header travels: no names, no case."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ruta.conferences.models import (
    AgendaItem,
    AgendaKind,
    Conference,
    ConferenceAction,
    ConferenceDecision,
    Modality,
    Participant,
)


class CaseHeaderSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    case_type = serializers.CharField(source="get_case_type_display")
    age_band = serializers.CharField(source="client.get_age_band_display")


class AgendaItemSerializer(serializers.ModelSerializer[AgendaItem]):
    kind = serializers.CharField(help_text="progress, barriers, roles, conflicts, ...")

    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "order"]


class ParticipantSerializer(serializers.ModelSerializer[Participant]):
    user = serializers.UUIDField(source="user.uuid")
    name = serializers.CharField(source="user.full_name")
    organization = serializers.CharField(source="organization.display_name")

    class Meta:
        model = Participant
        fields = ["user", "name", "organization", "role", "acknowledged_at", "attended"]


class DecisionSerializer(serializers.ModelSerializer[ConferenceDecision]):
    class Meta:
        model = ConferenceDecision
        fields = ["uuid", "text", "recorded_at"]


class ActionSerializer(serializers.ModelSerializer[ConferenceAction]):
    owner = serializers.UUIDField(source="owner.uuid")
    owner_organization = serializers.CharField(source="owner_organization.display_name")
    action_status = serializers.CharField(source="status", help_text="open or done")
    in_case_plan = serializers.SerializerMethodField()

    class Meta:
        model = ConferenceAction
        fields = [
            "uuid",
            "description",
            "owner",
            "owner_organization",
            "due_on",
            "action_status",
            "in_case_plan",
        ]

    def get_in_case_plan(self, action: ConferenceAction) -> bool:
        return action.plan_action_id is not None


class ConferenceListSerializer(serializers.ModelSerializer[Conference]):
    case = CaseHeaderSerializer()
    conference_status = serializers.CharField(
        source="status", help_text="scheduled, held, closed or cancelled"
    )
    modality = serializers.CharField(help_text="in_person, online, phone or hybrid")

    class Meta:
        model = Conference
        fields = ["uuid", "case", "scheduled_at", "modality", "conference_status"]


class ConferenceDetailSerializer(ConferenceListSerializer):
    agenda = AgendaItemSerializer(source="agenda_items", many=True)
    participants = ParticipantSerializer(many=True)
    decisions = DecisionSerializer(many=True)
    actions = ActionSerializer(many=True)

    class Meta(ConferenceListSerializer.Meta):
        fields = [
            *ConferenceListSerializer.Meta.fields,
            "place_or_link",
            "survivor_invited",
            "survivor_attended",
            "agenda",
            "participants",
            "minutes",
            "decisions",
            "actions",
        ]


class AgendaInputSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text=", ".join(AgendaKind.values))
    title = serializers.CharField(max_length=200)

    def validate_kind(self, value: str) -> str:
        if value not in AgendaKind.values:
            raise serializers.ValidationError(
                _("Choose the kind of each agenda item from the list.")
            )
        return value


class ConferenceCreateSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField(help_text="The case's uuid (a case you supervise).")
    scheduled_at = serializers.DateTimeField()
    modality = serializers.CharField(help_text=", ".join(Modality.values))
    place_or_link = serializers.CharField(required=False, allow_blank=True, max_length=300)
    survivor_invited = serializers.BooleanField(required=False, default=False)
    participants = serializers.ListField(
        child=serializers.UUIDField(), help_text="Users' uuids.", allow_empty=False
    )
    agenda = AgendaInputSerializer(many=True)


class AcknowledgeSerializer(serializers.Serializer[Any]):
    confirm = serializers.BooleanField(
        help_text="true: the participant commits to keep the conference confidential."
    )
