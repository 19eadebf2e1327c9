"""Representations of programmes, beneficiaries (coded profile only: never a name or a
phone), the payment import and the figures for the API."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ruta.stabilisation.models import Beneficiary, Payment, Programme


class ProgrammeSerializer(serializers.ModelSerializer[Programme]):
    organization: Any = serializers.SlugRelatedField(slug_field="acronym", read_only=True)
    donor: Any = serializers.SlugRelatedField(slug_field="acronym", read_only=True, allow_null=True)
    admin1_codes = serializers.ListField(child=serializers.CharField(), read_only=True)
    cities = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Programme
        fields = [
            "uuid",
            "name",
            "organization",
            "donor",
            "admin1_codes",
            "cities",
            "delay_days",
            "target_people",
            "budget",
            "currency",
            "starts_on",
            "ends_on",
            "active",
        ]


class PaymentSerializer(serializers.ModelSerializer[Payment]):
    class Meta:
        model = Payment
        fields = ["uuid", "expected_on", "paid_on", "amount", "status"]


class BeneficiarySerializer(serializers.ModelSerializer[Beneficiary]):
    programme: Any = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    code = serializers.CharField(
        read_only=True, help_text="The keyed hash of the programme's beneficiary id."
    )
    reference = serializers.CharField(read_only=True)
    in_queue = serializers.BooleanField(read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta:
        model = Beneficiary
        fields = [
            "uuid",
            "programme",
            "code",
            "reference",
            "sex",
            "age_band",
            "population_type",
            "disability",
            "admin1",
            "admin2",
            "in_queue",
            "payments",
        ]


class PaymentImportSerializer(serializers.Serializer[Any]):
    programme = serializers.UUIDField()
    file_name = serializers.RegexField(
        r"(?i)^[^/\\]{1,200}\.(csv|xlsx)$", help_text="The sheet's name, ending .csv or .xlsx."
    )
    content_base64 = serializers.CharField(
        max_length=8 * 1024 * 1024, help_text="The sheet's bytes, base64-encoded."
    )


class PaymentImportResultSerializer(serializers.Serializer[Any]):
    payments = serializers.IntegerField()
    new_people = serializers.IntegerField()
    entered = serializers.IntegerField(help_text="Beneficiaries who entered the queue.")
    left = serializers.IntegerField(help_text="Beneficiaries who left it (paid or cancelled).")


class CountSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.IntegerField()


class StabilisationFiguresSerializer(serializers.Serializer[Any]):
    mechanisms = serializers.IntegerField(
        help_text="BP5_PC 1: stabilisation mechanisms applied after a needs check."
    )
    people_until_paid = serializers.IntegerField(
        help_text="BP5_PC 2: people stabilised until their transfer was delivered."
    )
    target_people = serializers.IntegerField()
    progress = serializers.IntegerField(allow_null=True, help_text="Percent of the target.")
    people_stabilised = serializers.IntegerField()
    queued_ever = serializers.IntegerField()
    in_queue = serializers.IntegerField()
    contacts = serializers.IntegerField()
    checks_applied = serializers.IntegerField()
    mean_delay_days = serializers.FloatField(allow_null=True)
    contacts_per_person = serializers.FloatField(allow_null=True)
    distress_n = serializers.IntegerField()
    distress_change = serializers.FloatField(allow_null=True)
    budget = serializers.DecimalField(max_digits=16, decimal_places=2)
    currencies = serializers.ListField(child=serializers.CharField())
    by_territory = CountSerializer(many=True)
    by_sex = CountSerializer(many=True)
    by_age_band = CountSerializer(many=True)
    by_population_type = CountSerializer(many=True)
    by_disability = CountSerializer(many=True)
