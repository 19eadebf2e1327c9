"""Serializers of the helpline API (/api/v1/helpline/).

The list of contacts shows the coded profile only; one contact adds what was said and done
(decrypted: the views hand them only contacts ``access`` lets the person reach, and audit
the read). A call-back's number, name and safe-to-call instructions appear on the single
call-back only, never in a list. A warm referral shows its kind, reference and status, never
the case it opened. Figures are strings ("<5" below the small-cell threshold).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ruta.cases.models import Sex
from ruta.helpline.models import (
    AGE_BAND_CHOICES,
    POPULATION_CHOICES,
    Callback,
    Channel,
    Contact,
    ContactLanguage,
    Disability,
    Handoff,
    Reason,
)


class UserRefField(serializers.UUIDField):
    """A staff account by its id: never its name or e-mail."""

    def to_representation(self, value: Any) -> str:
        return str(value.uuid)


class HandoffSerializer(serializers.ModelSerializer[Handoff]):
    reference = serializers.SerializerMethodField()
    referral_status = serializers.SerializerMethodField()

    class Meta:
        model = Handoff
        fields = ["uuid", "kind", "made_at", "reference", "referral_status"]

    def get_reference(self, handoff: Handoff) -> str:
        return handoff.referral.reference if handoff.referral is not None else ""

    def get_referral_status(self, handoff: Handoff) -> str:
        return handoff.referral.status if handoff.referral is not None else ""


class ContactListSerializer(serializers.ModelSerializer[Contact]):
    operator = UserRefField(read_only=True)
    reasons: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    duration_minutes = serializers.IntegerField(read_only=True, allow_null=True)
    risk = serializers.SerializerMethodField(help_text="A risk alert was raised on the contact.")

    class Meta:
        model = Contact
        fields = [
            "uuid",
            "reference",
            "operator",
            "channel",
            "started_at",
            "ended_at",
            "duration_minutes",
            "language",
            "sex",
            "age_band",
            "nationality",
            "population_type",
            "disability",
            "admin1",
            "admin2",
            "is_repeat",
            "reasons",
            "status",
            "risk",
        ]

    def get_risk(self, contact: Contact) -> bool:
        return hasattr(contact, "alert")


class ContactDetailSerializer(ContactListSerializer):
    risk_yes: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    services_suggested: Any = serializers.SlugRelatedField(
        slug_field="uuid", many=True, read_only=True
    )
    handoffs = HandoffSerializer(many=True, read_only=True)

    class Meta(ContactListSerializer.Meta):
        fields = [
            *ContactListSerializer.Meta.fields,
            "what_was_done",
            "needs",
            "distress_before",
            "distress_after",
            "information_given",
            "services_suggested",
            "follow_up",
            "risk_yes",
            "risk_action",
            "reviewed_at",
            "debrief_requested_at",
            "handoffs",
        ]


def _choices(pairs: Any) -> list[tuple[str, str]]:
    return [(str(value), str(label)) for value, label in pairs]


class ContactCreateSerializer(serializers.Serializer[Any]):
    """A new contact. ``phone`` is only hashed (to recognise a repeat caller); ``operator``
    records the contact for another operator of the desk."""

    operator = serializers.UUIDField(required=False)
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.PHONE)
    started_at = serializers.DateTimeField(required=False)
    ended_at = serializers.DateTimeField(required=False, allow_null=True)
    language = serializers.ChoiceField(choices=ContactLanguage.choices, default="es")
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    age_band = serializers.ChoiceField(
        choices=_choices(AGE_BAND_CHOICES), required=False, allow_blank=True
    )
    nationality = serializers.CharField(required=False, allow_blank=True, max_length=12)
    population_type = serializers.ChoiceField(
        choices=_choices(POPULATION_CHOICES), required=False, allow_blank=True
    )
    disability = serializers.ChoiceField(
        choices=Disability.choices, required=False, allow_blank=True
    )
    admin1 = serializers.CharField(required=False, allow_blank=True, max_length=20)
    admin2 = serializers.CharField(required=False, allow_blank=True, max_length=20)
    is_repeat = serializers.BooleanField(default=False)
    reasons: Any = serializers.SlugRelatedField(
        slug_field="code", many=True, required=False, queryset=Reason.objects.filter(active=True)
    )
    phone = serializers.CharField(required=False, allow_blank=True, max_length=40, write_only=True)
    what_was_done = serializers.CharField(required=False, allow_blank=True, max_length=4000)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A change (``instance`` given) is checked against what it leaves stored.
        started = attrs.get("started_at", getattr(self.instance, "started_at", None))
        ended = attrs.get("ended_at", getattr(self.instance, "ended_at", None))
        if started is not None and ended is not None and ended < started:
            raise serializers.ValidationError(
                {"ended_at": [_("The end cannot be before the start.")]}
            )
        return attrs


class ContactUpdateSerializer(ContactCreateSerializer):
    """Changes to an open contact (PATCH): any coded field, the reasons (replacing them), a
    number (hashed only), what was done. The operator stays who took the call."""

    operator = None  # type: ignore[assignment]  # removes the inherited field


class CallbackFinishSerializer(serializers.Serializer[Any]):
    done = serializers.BooleanField(
        default=True, help_text="true: the call was made; false: the call-back is cancelled"
    )


class ContactCreatedSerializer(serializers.ModelSerializer[Contact]):
    operator = UserRefField(read_only=True)

    class Meta:
        model = Contact
        fields = ["uuid", "reference", "operator", "status"]


class CallbackListSerializer(serializers.ModelSerializer[Callback]):
    contact: Any = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    assigned_to = UserRefField(read_only=True, allow_null=True)
    erased = serializers.SerializerMethodField()

    class Meta:
        model = Callback
        fields = ["uuid", "contact", "due_at", "assigned_to", "status", "done_at", "erased"]

    def get_erased(self, callback: Callback) -> bool:
        return callback.erased_at is not None


class CallbackDetailSerializer(CallbackListSerializer):
    class Meta(CallbackListSerializer.Meta):
        fields = [*CallbackListSerializer.Meta.fields, "phone", "name", "safe_instructions"]


class HelplineFigureRowSerializer(serializers.Serializer[Any]):
    label = serializers.CharField()  # type: ignore[assignment]
    count = serializers.CharField(help_text='A count, or "<5" below the small-cell threshold.')


class HelplineFiguresSerializer(serializers.Serializer[Any]):
    scope = serializers.ChoiceField(choices=["network", "organization"])
    organization = serializers.UUIDField(allow_null=True)
    days = serializers.IntegerField()
    threshold = serializers.IntegerField(help_text="Counts below it are shown as '<threshold'.")
    total = serializers.CharField()
    repeat = serializers.CharField()
    mean_duration = serializers.CharField(allow_null=True)
    risk = serializers.CharField()
    unacknowledged = serializers.CharField()
    mean_wait = serializers.CharField(allow_null=True)
    distress_n = serializers.CharField()
    distress_before = serializers.CharField(allow_null=True)
    distress_after = serializers.CharField(allow_null=True)
    distress_change = serializers.CharField(allow_null=True)
    cases_here = serializers.CharField()
    referrals = HelplineFigureRowSerializer(many=True)
    by_channel = HelplineFigureRowSerializer(many=True)
    by_reason = HelplineFigureRowSerializer(many=True)
    by_day = HelplineFigureRowSerializer(many=True)
