"""Read-only serializers of the practices API (/api/v1/practices/): every text in both
languages, vocabularies by their codes and numbers."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ruta.practices.models import TEXT_FIELDS, Practice


class PracticeOrganizationSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    acronym = serializers.CharField()


class PracticeAttachmentSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, attachment: Any) -> str:
        request = self.context.get("request")
        path: str = attachment.get_absolute_url()
        return str(request.build_absolute_uri(path)) if request else path


class PracticeSerializer(serializers.ModelSerializer[Practice]):
    url = serializers.SerializerMethodField()
    countries = serializers.SerializerMethodField()
    organizations = PracticeOrganizationSerializer(many=True, read_only=True)
    themes: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    iasc_layers: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="number")
    sdgs: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="number")
    gcm_objectives: Any = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="number"
    )
    guiding_principles: Any = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )
    attachments = PracticeAttachmentSerializer(many=True, read_only=True)
    budget_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, coerce_to_string=True, allow_null=True, read_only=True
    )

    class Meta:
        model = Practice
        fields = [
            "uuid",
            "code",
            "url",
            "title_es",
            "title_en",
            "illustrative",
            "organizations",
            "other_organizations",
            "countries",
            "territories",
            "themes",
            "iasc_layers",
            *[f"{name}_{lang}" for name in TEXT_FIELDS for lang in ("es", "en")],
            "people_reached",
            "budget_amount",
            "budget_currency",
            "sdgs",
            "gcm_objectives",
            "guiding_principles",
            "sustainability",
            "attachments",
            "published_at",
        ]
        read_only_fields = fields

    def get_url(self, practice: Practice) -> str:
        request = self.context.get("request")
        path = practice.get_absolute_url()
        return request.build_absolute_uri(path) if request else path

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_countries(self, practice: Practice) -> list[str]:
        return [country.code for country in practice.countries.all()]
