"""Serializers of the directory's editing API (/api/v1/directory/).

Services carry their phones and opening hours nested (sent lists replace the stored ones),
their classification as lists of term codes per taxonomy (``sectors``, ``profiles``,
``layers``), their organization and locations by UUID and their service areas by admin
area code. Validation mirrors ``Service.clean`` by running ``full_clean`` on the would-be
service; writes go through ``actions.save_service`` (change history and audit).
"""

from __future__ import annotations

import copy
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.settings import api_settings

from ruta.agencies.models import Organization
from ruta.directory import access, actions
from ruta.directory.models import (
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
)
from ruta.places.models import AdminArea

# Request field -> taxonomy code.
TERM_FIELDS = {"sectors": "sector", "profiles": "population", "layers": "iasc_layer"}


def django_errors(exc: DjangoValidationError) -> dict[str, Any]:
    """A model ValidationError as serializer errors ("__all__" -> non_field_errors)."""
    detail = serializers.as_serializer_error(exc)
    if NON_FIELD_ERRORS in detail:
        detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop(NON_FIELD_ERRORS)
    return detail


def _user(serializer: serializers.Serializer[Any]) -> Any:
    return serializer.context["request"].user


# --- Nested -------------------------------------------------------------------------


class PhoneSerializer(serializers.ModelSerializer[Phone]):
    class Meta:
        model = Phone
        fields = ["uuid", "number", "extension", "description", "whatsapp", "free_line"]
        read_only_fields = ["uuid"]


class ScheduleSerializer(serializers.ModelSerializer[Schedule]):
    class Meta:
        model = Schedule
        fields = ["uuid", "weekday", "opens_at", "closes_at"]
        read_only_fields = ["uuid"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["opens_at"] >= attrs["closes_at"]:
            raise serializers.ValidationError(
                {"closes_at": [_("The closing time must be after the opening time.")]}
            )
        return attrs


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class CodeListField(serializers.ListField):
    """Codes read from the service itself (``source="*"``); validated by the serializer."""

    def __init__(self, read: Any, **kwargs: Any) -> None:
        self._read = read
        kwargs.setdefault("child", serializers.CharField(max_length=60))
        super().__init__(source="*", required=False, **kwargs)

    def to_representation(self, data: Any) -> list[str]:
        return list(self._read(data, self.field_name))

    def to_internal_value(self, data: Any) -> Any:
        # With source="*" the returned mapping is merged into the validated data.
        values = super().to_internal_value(data)
        return {str(self.field_name): list(dict.fromkeys(str(value) for value in values))}


def _term_codes(service: Service, field_name: str) -> list[str]:
    taxonomy = TERM_FIELDS[field_name]
    return [term.code for term in service.terms.all() if term.taxonomy.code == taxonomy]


def _location_uuids(service: Service, _field_name: str) -> list[str]:
    return [str(sal.location.uuid) for sal in service.service_at_locations.all()]


def _area_codes(service: Service, _field_name: str) -> list[str]:
    return [reach.area.code for reach in service.service_areas.all()]


# --- Services -----------------------------------------------------------------------

MODEL_FIELDS = [
    "organization",
    "name_es",
    "name_en",
    "description_es",
    "description_en",
    "status",
    "intake_status",
    "intake_reason",
    "url",
    "email",
    "languages",
    "is_free",
    "fee_detail",
    "documents_required",
    "required_documents",
    "eligibility_es",
    "eligibility_en",
    "minimum_age",
    "maximum_age",
    "in_person",
    "by_phone",
    "online",
    "outreach",
    "open_24_7",
    "timezone",
    "holidays_note",
]
RELATED_FIELDS = ["phones", "schedules", "locations", "service_areas", *TERM_FIELDS]


class ServiceSerializer(serializers.ModelSerializer[Service]):
    organization = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Organization.objects.filter(active=True)
    )
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    languages = serializers.ListField(
        child=serializers.RegexField(r"^[a-z]{2,3}$", max_length=3), required=False
    )
    phones = PhoneSerializer(many=True, required=False)
    schedules = ScheduleSerializer(many=True, required=False)
    sectors = CodeListField(_term_codes, help_text="Codes of terms in the 'sector' taxonomy.")
    profiles = CodeListField(_term_codes, help_text="Codes of terms in the 'population' taxonomy.")
    layers = CodeListField(_term_codes, help_text="Codes of terms in the 'iasc_layer' taxonomy.")
    locations = CodeListField(
        _location_uuids, child=serializers.UUIDField(), help_text="UUIDs of locations."
    )
    service_areas = CodeListField(
        _area_codes, help_text="Codes of admin areas the service reaches, e.g. PE-TAC."
    )

    class Meta:
        model = Service
        fields = [
            "uuid",
            "organization_name",
            *MODEL_FIELDS,
            *RELATED_FIELDS,
            "illustrative",
            "last_verified_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "uuid",
            "illustrative",
            "last_verified_at",
            "created_at",
            "updated_at",
        ]

    # -- validation --

    def validate_organization(self, organization: Organization) -> Organization:
        if not access.editable_organizations(_user(self)).filter(pk=organization.pk).exists():
            raise serializers.ValidationError(
                _("You can only add or edit services of your own organization.")
            )
        return organization

    def validate_timezone(self, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise serializers.ValidationError(_("Unknown time zone.")) from None
        return value

    def _resolve_terms(self, attrs: dict[str, Any], errors: dict[str, Any]) -> None:
        wanted = {name: attrs[name] for name in TERM_FIELDS if name in attrs}
        if not wanted:
            return
        codes = {code for values in wanted.values() for code in values}
        found: dict[tuple[str, str], TaxonomyTerm] = {
            (term.taxonomy.code, term.code): term
            for term in TaxonomyTerm.objects.filter(
                code__in=codes, active=True, taxonomy__code__in=TERM_FIELDS.values()
            ).select_related("taxonomy")
        }
        resolved: dict[str, list[TaxonomyTerm]] = {}
        for name, values in wanted.items():
            taxonomy = TERM_FIELDS[name]
            unknown = [code for code in values if (taxonomy, code) not in found]
            if unknown:
                errors[name] = [
                    _("Unknown code in %(taxonomy)s: %(codes)s")
                    % {"taxonomy": taxonomy, "codes": ", ".join(unknown)}
                ]
            resolved[TERM_FIELDS[name]] = [
                found[(taxonomy, code)] for code in values if (taxonomy, code) in found
            ]
        attrs["_terms"] = resolved

    def _resolve_locations(self, attrs: dict[str, Any], errors: dict[str, Any]) -> None:
        if "locations" not in attrs:
            return
        wanted = [str(value) for value in attrs["locations"]]
        reachable = {
            str(location.uuid): location
            for location in access.editable_locations(_user(self)).filter(uuid__in=wanted)
        }
        missing = [value for value in wanted if value not in reachable]
        if missing:
            errors["locations"] = [
                _("Unknown location, or one you cannot edit: %(ids)s") % {"ids": ", ".join(missing)}
            ]
        attrs["_locations"] = [reachable[value] for value in wanted if value in reachable]

    def _resolve_areas(self, attrs: dict[str, Any], errors: dict[str, Any]) -> None:
        if "service_areas" not in attrs:
            return
        wanted = attrs["service_areas"]
        areas = {area.code: area for area in AdminArea.objects.filter(code__in=wanted)}
        unknown = [code for code in wanted if code not in areas]
        if unknown:
            errors["service_areas"] = [
                _("Unknown admin area code: %(codes)s") % {"codes": ", ".join(unknown)}
            ]
        attrs["_areas"] = [areas[code] for code in wanted if code in areas]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, Any] = {}
        self._resolve_terms(attrs, errors)
        self._resolve_locations(attrs, errors)
        self._resolve_areas(attrs, errors)
        candidate = copy.copy(self.instance) if self.instance is not None else Service()
        for name in MODEL_FIELDS:
            if name in attrs:
                setattr(candidate, name, attrs[name])
        try:
            candidate.full_clean(exclude=["search_text"], validate_unique=False)
        except DjangoValidationError as exc:
            for key, messages in django_errors(exc).items():
                errors.setdefault(key, []).extend(messages)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    # -- writing --

    def _split(self, validated: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
        related: dict[str, Any] = {
            key: validated.pop(key)
            for key in ("phones", "schedules", "_terms", "_locations", "_areas")
            if key in validated
        }
        for name in (*TERM_FIELDS, "locations", "service_areas"):
            validated.pop(name, None)
        return validated, related

    def _related_saver(self, related: dict[str, Any]) -> Any:
        def save_related(service: Service) -> None:
            if "_terms" in related:
                replaced = list(related["_terms"])
                kept = list(service.terms.exclude(taxonomy__code__in=replaced))
                service.terms.set(kept + [t for terms in related["_terms"].values() for t in terms])
            if "phones" in related:
                service.phones.all().delete()
                Phone.objects.bulk_create(
                    [Phone(service=service, **phone) for phone in related["phones"]]
                )
            if "schedules" in related:
                service.schedules.all().delete()
                Schedule.objects.bulk_create(
                    [Schedule(service=service, **slot) for slot in related["schedules"]]
                )
            if "_locations" in related:
                wanted = {location.pk for location in related["_locations"]}
                service.service_at_locations.exclude(location_id__in=wanted).delete()
                present = set(service.service_at_locations.values_list("location_id", flat=True))
                ServiceAtLocation.objects.bulk_create(
                    [ServiceAtLocation(service=service, location_id=pk) for pk in wanted - present]
                )
            if "_areas" in related:
                wanted = {area.pk for area in related["_areas"]}
                service.service_areas.exclude(area_id__in=wanted).delete()
                present = set(service.service_areas.values_list("area_id", flat=True))
                ServiceArea.objects.bulk_create(
                    [ServiceArea(service=service, area_id=pk) for pk in wanted - present]
                )
            # The change history compares fresh related rows, not what a prefetch cached.
            cache = getattr(service, "_prefetched_objects_cache", None)
            if cache:
                cache.clear()

        return save_related

    def create(self, validated_data: dict[str, Any]) -> Service:
        fields, related = self._split(validated_data)
        request = self.context["request"]
        service = Service(**fields)
        return actions.save_service(
            request.user,
            service,
            save_related=self._related_saver(related),
            request=request._request,
        )

    def update(self, instance: Service, validated_data: dict[str, Any]) -> Service:
        fields, related = self._split(validated_data)
        request = self.context["request"]
        before = actions.snapshot(instance)
        for name, value in fields.items():
            setattr(instance, name, value)
        return actions.save_service(
            request.user,
            instance,
            before=before,
            save_related=self._related_saver(related),
            request=request._request,
        )


# --- Locations ----------------------------------------------------------------------


class LocationSerializer(serializers.ModelSerializer[Location]):
    organization = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Organization.objects.filter(active=True)
    )
    admin1 = serializers.SlugRelatedField(
        slug_field="code",
        queryset=AdminArea.objects.filter(level=1),
        required=False,
        allow_null=True,
    )
    admin2 = serializers.SlugRelatedField(
        slug_field="code",
        queryset=AdminArea.objects.filter(level=2),
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Location
        fields = [
            "uuid",
            "organization",
            "name",
            "address",
            "city",
            "country",
            "admin1",
            "admin2",
            "latitude",
            "longitude",
            "accessibility",
            "transportation",
            "updated_at",
        ]
        read_only_fields = ["uuid", "updated_at"]

    def validate_organization(self, organization: Organization) -> Organization:
        if not access.editable_organizations(_user(self)).filter(pk=organization.pk).exists():
            raise serializers.ValidationError(
                _("You can only add or edit locations of your own organization.")
            )
        return organization

    def validate_country(self, value: str) -> str:
        value = value.upper()
        if pycountry.countries.get(alpha_2=value) is None:
            raise serializers.ValidationError(_("Unknown country code."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        def current(name: str) -> Any:
            if name in attrs:
                return attrs[name]
            return getattr(self.instance, name) if self.instance is not None else None

        country = current("country") or "PE"
        admin1, admin2 = current("admin1"), current("admin2")
        errors: dict[str, list[str]] = {}
        if admin1 is not None and admin1.country != country:
            errors["admin1"] = [_("This region is not in the location's country.")]
        if admin2 is not None:
            if admin2.country != country:
                errors["admin2"] = [_("This district is not in the location's country.")]
            elif admin1 is not None and admin2.parent_id not in (None, admin1.pk):
                errors["admin2"] = [_("This district is not in the chosen region.")]
        if (current("latitude") is None) != (current("longitude") is None):
            errors["longitude"] = [_("Give both latitude and longitude, or neither.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Location:
        request = self.context["request"]
        location = Location(**validated_data)
        if location.admin1 is None and location.admin2 is not None:
            location.admin1 = location.admin2.parent
        saved: Location = actions.save_location(request.user, location, request=request._request)
        return saved

    def update(self, instance: Location, validated_data: dict[str, Any]) -> Location:
        request = self.context["request"]
        before = actions.location_snapshot(instance)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        saved: Location = actions.save_location(
            request.user, instance, before=before, request=request._request
        )
        return saved


# --- Read-only vocabularies ---------------------------------------------------------


class TaxonomyTermSerializer(serializers.ModelSerializer[TaxonomyTerm]):
    taxonomy = serializers.CharField(source="taxonomy.code", read_only=True)
    parent: Any = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)

    class Meta:
        model = TaxonomyTerm
        fields = [
            "uuid",
            "taxonomy",
            "code",
            "name_es",
            "name_en",
            "description_es",
            "description_en",
            "parent",
            "position",
            "active",
        ]
        read_only_fields = fields


class AdminAreaSerializer(serializers.ModelSerializer[AdminArea]):
    parent: Any = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = AdminArea
        fields = [
            "code",
            "country",
            "level",
            "name_es",
            "name_en",
            "parent",
            "pcode",
            "latitude",
            "longitude",
        ]
        read_only_fields = fields
