"""The referrals API under /api/v1/referrals/ (token or session authentication).

Same rules as the pages: ``Cap.VIEW_CASES``; a referral out of reach is 404; the receiver
gets the snapshot only while the referral is live and the consent stands, never the
case. A refused step answers 409 with its message; a missing consent also 409.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.accounts.http import signed_in
from ruta.accounts.models import User
from ruta.cases.access import get_case, visible_cases
from ruta.cases.actions import CaseError
from ruta.cases.models import CaseStatus, CaseType
from ruta.directory.access import visible_services
from ruta.lib.openapi import error_response
from ruta.lib.pagination import paginate
from ruta.lib.permissions import Cap, HasCapability
from ruta.referrals import access, actions
from ruta.referrals.models import (
    SHARE_DEFAULT,
    DeclineReason,
    Outcome,
    Referral,
    ReferralStatus,
    ShareField,
    Urgency,
)
from ruta.referrals.presentation import snapshot_rows

TAGS = ["referrals"]


REFUSED = error_response("The step is not allowed now, or a consent is missing.")


class SnapshotRowSerializer(serializers.Serializer[Any]):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.CharField()


class ReferralSerializer(serializers.Serializer[Any]):
    uuid = serializers.UUIDField()
    reference = serializers.CharField()
    side = serializers.SerializerMethodField(help_text="sender or receiver: where you stand.")
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    channel = serializers.CharField()
    from_organization = serializers.UUIDField(source="from_organization.uuid")
    to_organization = serializers.UUIDField(source="to_organization.uuid")
    service = serializers.UUIDField(source="service.uuid", allow_null=True, default=None)
    case = serializers.SerializerMethodField(help_text="The sender's case (sender side only).")
    sent_at = serializers.DateTimeField()
    respond_by = serializers.DateTimeField()
    accepted_at = serializers.DateTimeField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)
    decline_reason = serializers.CharField()
    outcome = serializers.CharField()
    shared = serializers.SerializerMethodField(
        help_text="The information shared; null when the receiver may no longer see it."
    )

    @extend_schema_field(OpenApiTypes.STR)
    def get_side(self, referral: Referral) -> str:
        side: str = self.context["side"](referral)
        return side

    @extend_schema_field(OpenApiTypes.UUID)
    def get_case(self, referral: Referral) -> str | None:
        return str(referral.case.uuid) if self.context["side"](referral) == "sender" else None

    @extend_schema_field(SnapshotRowSerializer(many=True, allow_null=True))
    def get_shared(self, referral: Referral) -> list[dict[str, Any]] | None:
        side = self.context["side"](referral)
        if side == access.RECEIVER and not access.snapshot_visible(referral):
            return None
        if not self.context.get("detail"):
            return None
        rows = snapshot_rows(referral.snapshot_data())
        if referral.reason:
            rows.append({"key": "reason", "label": "reason", "value": referral.reason})
        return [{**r, "value": str(r["value"]), "label": str(r["label"])} for r in rows]


class ReferralFilterSerializer(serializers.Serializer[Any]):
    side = serializers.ChoiceField(choices=["sent", "received"], required=False)
    status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False)


class ReferralPageSerializer(serializers.Serializer[Any]):
    count = serializers.IntegerField(help_text="Referrals in all pages.")
    page = serializers.IntegerField(help_text="This page's number (50 referrals a page).")
    results = ReferralSerializer(many=True)


class ReferralCreateSerializer(serializers.Serializer[Any]):
    case = serializers.UUIDField()
    service = serializers.UUIDField()
    shared_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=ShareField.choices), default=list(SHARE_DEFAULT)
    )
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class AcceptSerializer(serializers.Serializer[Any]):
    assign_to = serializers.UUIDField(required=False, allow_null=True)
    link_case = serializers.CharField(required=False, allow_blank=True, default="")
    case_type = serializers.ChoiceField(choices=CaseType.choices, required=False)


class DeclineSerializer(serializers.Serializer[Any]):
    reason = serializers.ChoiceField(choices=DeclineReason.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CompleteSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    feedback = serializers.CharField()


class RevokeSerializer(serializers.Serializer[Any]):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReferralAPIView(APIView):
    permission_classes = [HasCapability]
    required_capability = Cap.VIEW_CASES

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, CaseError):
            message = str(exc)
            return Response(
                {"message": message, "detail": message}, status=status.HTTP_409_CONFLICT
            )
        return super().handle_exception(exc)

    def _side(self, referrals: list[Referral]) -> Any:
        """Where the user stands on each of ``referrals`` (one query for the page)."""
        mine = access.sent_referrals(signed_in(self.request)).filter(
            pk__in=[r.pk for r in referrals]
        )
        sent = set(mine.values_list("pk", flat=True))
        return lambda referral: access.SENDER if referral.pk in sent else access.RECEIVER

    def _one(self, referral_uuid: Any) -> tuple[Referral, str]:
        return access.get_referral(signed_in(self.request), referral_uuid)

    def _answer(self, referral: Referral, side: str, code: int = 200) -> Response:
        access.audit_referral_read(self.request, referral, side)
        data = ReferralSerializer(referral, context={"side": lambda _r: side, "detail": True}).data
        return Response(data, status=code)


@extend_schema(tags=TAGS)
class ReferralListView(ReferralAPIView):
    @extend_schema(
        summary="Referrals sent from your cases and received by your organization",
        operation_id="referrals_list",
        parameters=[
            OpenApiParameter("side", str, enum=["sent", "received"]),
            OpenApiParameter("status", str, enum=ReferralStatus.values),
            OpenApiParameter("page", int, description="Page number (the last page if too high)"),
        ],
        responses={200: ReferralPageSerializer},
    )
    def get(self, request: Request) -> Response:
        given = ReferralFilterSerializer(data=request.query_params)
        given.is_valid(raise_exception=True)
        side = given.validated_data.get("side")
        if side == "sent":
            referrals = access.sent_referrals(signed_in(request))
        elif side == "received":
            referrals = access.received_referrals(signed_in(request))
        else:
            referrals = access.visible_referrals(signed_in(request))
        if "status" in given.validated_data:
            referrals = referrals.filter(status=given.validated_data["status"])
        page = paginate(request, referrals.order_by("-sent_at", "-id"), per_page=50)
        shown = list(page.object_list)
        data = ReferralSerializer(shown, many=True, context={"side": self._side(shown)}).data
        return Response({"count": page.paginator.count, "page": page.number, "results": data})

    @extend_schema(
        summary="Refer a case to a service (needs a consent to share with its organization)",
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer, 409: REFUSED},
    )
    def post(self, request: Request) -> Response:
        given = ReferralCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        case = get_case(signed_in(request), data["case"])
        service = visible_services(signed_in(request)).filter(uuid=data["service"]).first()
        if service is None:
            raise Http404
        referral = actions.send_referral(
            signed_in(request),
            case,
            service=service,
            fields=data["shared_fields"],
            urgency=data["urgency"],
            reason=data["reason"],
        )
        return self._answer(referral, access.SENDER, status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class ReferralDetailView(ReferralAPIView):
    @extend_schema(summary="One referral", responses={200: ReferralSerializer})
    def get(self, request: Request, uuid: Any) -> Response:
        referral, side = self._one(uuid)
        return self._answer(referral, side)


@extend_schema(tags=TAGS)
class AcceptView(ReferralAPIView):
    @extend_schema(
        summary="Accept (receiver): open or link a case",
        request=AcceptSerializer,
        responses={200: ReferralSerializer, 409: REFUSED},
    )
    def post(self, request: Request, uuid: Any) -> Response:
        referral, side = self._one(uuid)
        given = AcceptSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        assign_to = None
        if data.get("assign_to"):
            assign_to = User.objects.filter(uuid=data["assign_to"]).first()
            if assign_to is None:
                raise serializers.ValidationError({"assign_to": ["Unknown person."]})
        link_case = None
        if data.get("link_case"):
            link_case = (
                visible_cases(signed_in(request))
                .filter(code__iexact=data["link_case"], status=CaseStatus.OPEN)
                .first()
            )
            if link_case is None:
                raise serializers.ValidationError({"link_case": ["No such case."]})
        referral = actions.accept_referral(
            signed_in(request),
            referral,
            assign_to=assign_to,
            link_case=link_case,
            case_type=data.get("case_type", ""),
        )
        return self._answer(referral, side)


class _StepView(ReferralAPIView):
    """POST a step: validate the body with ``step_serializer``, run it, answer the referral."""

    step_serializer: type[serializers.Serializer[Any]]

    def run(self, referral: Referral, data: dict[str, Any]) -> Referral:
        raise NotImplementedError

    def post(self, request: Request, uuid: Any) -> Response:
        referral, side = self._one(uuid)
        given = self.step_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        return self._answer(self.run(referral, dict(given.validated_data)), side)


def _step_schema(summary: str, request: Any) -> Any:
    return extend_schema_view(
        post=extend_schema(
            tags=TAGS,
            summary=summary,
            request=request,
            responses={200: ReferralSerializer, 409: REFUSED},
        )
    )


@_step_schema("Decline (receiver) with a reason", DeclineSerializer)
class DeclineView(_StepView):
    step_serializer = DeclineSerializer

    def run(self, referral: Referral, data: dict[str, Any]) -> Referral:
        return actions.decline_referral(signed_in(self.request), referral, **data)


@_step_schema("Complete with feedback on the service given", CompleteSerializer)
class CompleteView(_StepView):
    step_serializer = CompleteSerializer

    def run(self, referral: Referral, data: dict[str, Any]) -> Referral:
        return actions.complete_referral(signed_in(self.request), referral, **data)


@_step_schema("Revoke (sender), at any time while open", RevokeSerializer)
class RevokeView(_StepView):
    step_serializer = RevokeSerializer

    def run(self, referral: Referral, data: dict[str, Any]) -> Referral:
        return actions.revoke_referral(signed_in(self.request), referral, **data)
