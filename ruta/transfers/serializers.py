"""API shapes of transfers. Organizations and people by UUID and name; no client data."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ruta.transfers.access import reason_visible
from ruta.transfers.models import Transfer


class TransferSerializer(serializers.ModelSerializer[Transfer]):
    """One transfer as ``context["user"]`` may see it: the reason (case narrative) only
    when ``access.reason_visible`` allows it, and never without a user in the context."""

    case = serializers.UUIDField(source="case.uuid", read_only=True)
    case_code = serializers.CharField(source="case.code", read_only=True)
    from_organization = serializers.UUIDField(source="from_organization.uuid", read_only=True)
    from_organization_name = serializers.CharField(source="from_organization.name", read_only=True)
    to_organization = serializers.UUIDField(source="to_organization.uuid", read_only=True)
    to_organization_name = serializers.CharField(source="to_organization.name", read_only=True)
    requested_by = serializers.UUIDField(source="requested_by.uuid", read_only=True)
    decided_by = serializers.SerializerMethodField()
    assigned_caseworker = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = [
            "uuid",
            "case",
            "case_code",
            "from_organization",
            "from_organization_name",
            "to_organization",
            "to_organization_name",
            "status",
            "reason",
            "requested_by",
            "requested_at",
            "decided_by",
            "decided_at",
            "decline_reason",
            "assigned_caseworker",
            "sender_access",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Transfer) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        user = self.context.get("user")
        if user is None or not reason_visible(user, instance):
            data["reason"] = ""
        return data

    def get_decided_by(self, obj: Transfer) -> str | None:
        return str(obj.decided_by.uuid) if obj.decided_by else None

    def get_assigned_caseworker(self, obj: Transfer) -> str | None:
        return str(obj.assigned_caseworker.uuid) if obj.assigned_caseworker else None


class TransferCreateSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField(help_text="The case to transfer (one you supervise).")
    to_organization = serializers.UUIDField(help_text="The agency that will take it over.")
    reason = serializers.CharField(max_length=4000)


class TransferAcceptSerializer(serializers.Serializer[Any]):
    caseworker = serializers.UUIDField(help_text="A caseworker of your agency who takes the case.")


class TransferDeclineSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=4000)
