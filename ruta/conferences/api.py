"""The conference API under /api/v1/conferences/ (token or session authentication).

Every view needs ``Cap.VIEW_CASES``. The list holds only the conferences where the user
is a participant, still has access (consent) and has acknowledged confidentiality;
the detail of any other conference is 404, and 403 until the participant acknowledges.
Reads are audited as ``conference.read``. Refusals: 400 bad input, 403 not your step,
409 a status or a missing consent forbids it (``{"message": ..., "detail": ...}``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.accounts.http import signed_in
from ruta.accounts.models import User
from ruta.cases import access as case_access
from ruta.conferences import access
from ruta.conferences import actions as conf_actions
from ruta.conferences.models import Conference, Participant
from ruta.conferences.serializers import (
    AcknowledgeSerializer,
    ConferenceCreateSerializer,
    ConferenceDetailSerializer,
    ConferenceListSerializer,
)
from ruta.lib.openapi import error_response
from ruta.lib.permissions import Cap, HasCapability

TAGS = ["conferences"]


REFUSED = error_response("Bad input.")
FORBIDDEN = error_response("Not your step, or not acknowledged.")
CONFLICT = error_response("Status or missing consent.")


def _refused(error: conf_actions.ConferenceError) -> Response:
    code: int = status.HTTP_400_BAD_REQUEST
    if isinstance(error, conf_actions.Forbidden):
        code = status.HTTP_403_FORBIDDEN
    elif isinstance(error, conf_actions.IllegalTransition | conf_actions.ConsentMissing):
        code = status.HTTP_409_CONFLICT
    return _error(str(error), code)


def _error(message: str, code: int) -> Response:
    return Response({"message": message, "detail": message}, status=code)


class ConferenceAPIMixin(APIView):
    permission_classes = [HasCapability]
    required_capability = Cap.VIEW_CASES

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, conf_actions.ConferenceError):
            return _refused(exc)
        return super().handle_exception(exc)


def _detail_queryset() -> list[Any]:
    return [
        "agenda_items",
        Prefetch("participants", Participant.objects.select_related("user", "organization")),
        "decisions",
        "actions__owner",
        "actions__owner_organization",
    ]


class ConferenceListView(ConferenceAPIMixin, generics.GenericAPIView[Conference]):
    serializer_class = ConferenceListSerializer
    queryset = Conference.objects.none()

    def get_queryset(self) -> QuerySet[Conference]:
        return (
            access.acknowledged_conferences(signed_in(self.request))
            .select_related("case", "case__client")
            .defer("minutes", "place_or_link", "status_note")
            .order_by("-scheduled_at", "-id")
        )

    @extend_schema(
        tags=TAGS,
        summary="The conferences you take part in and have acknowledged",
        operation_id="conferences_list",
        responses=ConferenceListSerializer(many=True),
        description="Only participants see a conference; a conference whose "
        "confidentiality you have not acknowledged is not listed. Audited per request.",
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None
        case_access.audit_list_read(request, "conference_list", page)
        return self.get_paginated_response(ConferenceListSerializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Convene a conference (supervisors of the case's organization)",
        request=ConferenceCreateSerializer,
        responses={201: ConferenceDetailSerializer, 400: REFUSED, 403: FORBIDDEN, 409: CONFLICT},
    )
    def post(self, request: Request) -> Response:
        given = ConferenceCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        case = case_access.get_case(signed_in(request), data["case"])
        wanted = [str(value) for value in data["participants"]]
        people = list(
            User.objects.filter(uuid__in=wanted, is_active=True).select_related("organization")
        )
        if len(people) != len(set(wanted)):
            raise serializers.ValidationError(
                {"participants": [_("Some of these people do not exist or are not active.")]}
            )
        conference = conf_actions.convene(
            signed_in(request),
            case,
            scheduled_at=data["scheduled_at"],
            modality=data["modality"],
            place_or_link=data.get("place_or_link") or "",
            survivor_invited=data.get("survivor_invited", False),
            participants=people,
            agenda=[(item["kind"], item["title"]) for item in data["agenda"]],
        )
        conference = access.get_conference(signed_in(request), conference.uuid)
        body = ConferenceDetailSerializer(conference).data
        return Response(body, status=status.HTTP_201_CREATED)


class ConferenceDetailView(ConferenceAPIMixin):
    @extend_schema(
        tags=TAGS,
        summary="One conference: agenda, participants, minutes, decisions, actions",
        responses={200: ConferenceDetailSerializer, 403: FORBIDDEN},
    )
    def get(self, request: Request, uuid: Any) -> Response:
        conference = access.get_conference(signed_in(request), uuid)
        if not access.is_acknowledged(conference):
            access.audit_read(request, conference, what="acknowledgement")
            return _error(
                _("Acknowledge the confidentiality of this conference first."),
                status.HTTP_403_FORBIDDEN,
            )
        prefetch_related_objects([conference], *_detail_queryset())
        access.audit_read(request, conference)
        return Response(ConferenceDetailSerializer(conference).data)


class AcknowledgeView(ConferenceAPIMixin):
    @extend_schema(
        tags=TAGS,
        summary="Acknowledge the confidentiality of a conference",
        request=AcknowledgeSerializer,
        responses={200: ConferenceListSerializer, 400: REFUSED},
    )
    def post(self, request: Request, uuid: Any) -> Response:
        conference = access.get_conference(signed_in(request), uuid)
        given = AcknowledgeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if not given.validated_data["confirm"]:
            raise serializers.ValidationError(
                {"confirm": [_("Tick the box to acknowledge confidentiality.")]}
            )
        conf_actions.acknowledge(signed_in(request), conference)
        return Response(ConferenceListSerializer(conference).data)
