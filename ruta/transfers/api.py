"""The transfers API under /api/v1/transfers/ (token or session authentication).

Every view needs ``Cap.SUPERVISE_CASES``: transfers are supervisors' business. The list
and detail show the transfers of the user's agency (sent or received); any other is
404. Changes go through ``ruta.transfers.actions``: a step the transfer's status (or a
missing consent) does not allow answers 409 ``{"message": ..., "detail": ...}``, another
refusal 400.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.accounts.http import signed_in
from ruta.agencies.models import Organization
from ruta.cases.access import audit_list_read, caseworkers_of, get_case, supervisors_of
from ruta.lib.openapi import error_response
from ruta.lib.permissions import Cap, HasCapability
from ruta.transfers import access, actions
from ruta.transfers.models import Transfer
from ruta.transfers.serializers import (
    TransferAcceptSerializer,
    TransferCreateSerializer,
    TransferDeclineSerializer,
    TransferSerializer,
)

TAGS = ["transfers"]
CONFLICT = error_response("Not possible in the transfer's state, or no consent.")
REFUSED = error_response("The step is not allowed, or the input is not valid.")


def _shown(request: Request, transfer: Transfer) -> Any:
    """The transfer as the request's user may see it (the list uses the same serializer)."""
    return TransferSerializer(transfer, context={"user": request.user}).data


class TransferAPIMixin(APIView):
    permission_classes = [HasCapability]
    required_capability = Cap.SUPERVISE_CASES

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, actions.TransferError):
            code = (
                status.HTTP_409_CONFLICT
                if isinstance(exc, actions.IllegalTransition)
                else status.HTTP_400_BAD_REQUEST
            )
            message = str(exc)
            return Response({"message": message, "detail": message}, status=code)
        return super().handle_exception(exc)


class TransferListView(TransferAPIMixin, generics.ListAPIView[Transfer]):
    serializer_class = TransferSerializer
    queryset = Transfer.objects.none()

    def get_queryset(self) -> Any:
        return access.with_related(access.visible_transfers(signed_in(self.request)))

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "user": self.request.user}

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        assert page is not None  # the API always paginates (settings.REST_FRAMEWORK)
        audit_list_read(request, "transfer_list", page)  # one event, the cases shown
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="List your agency's transfers",
        description="Transfers your agency requested or received, newest first.",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        summary="Request a transfer of a case to another agency",
        request=TransferCreateSerializer,
        responses={201: TransferSerializer, 400: REFUSED, 409: CONFLICT},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = TransferCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        case = get_case(signed_in(request), data["case"])
        organization = Organization.objects.filter(uuid=data["to_organization"]).first()
        if organization is None:
            raise serializers.ValidationError(
                {"to_organization": [_("Choose another agency to transfer the case to.")]}
            )
        transfer = actions.request_transfer(signed_in(request), case, organization, data["reason"])
        transfer = access.get_transfer(signed_in(request), transfer.uuid)
        return Response(_shown(request, transfer), status=status.HTTP_201_CREATED)


class TransferDetailView(TransferAPIMixin, generics.GenericAPIView[Transfer]):
    serializer_class = TransferSerializer
    queryset = Transfer.objects.none()

    @extend_schema(tags=TAGS, summary="One transfer", responses=TransferSerializer)
    def get(self, request: Request, uuid: Any) -> Response:
        transfer = access.get_transfer(signed_in(request), uuid)
        access.audit_transfer_read(request, transfer)
        return Response(_shown(request, transfer))


class TransferAcceptView(TransferAPIMixin, generics.GenericAPIView[Transfer]):
    serializer_class = TransferAcceptSerializer
    queryset = Transfer.objects.none()

    @extend_schema(
        tags=TAGS,
        summary="Accept a transfer and assign a caseworker (receiving agency)",
        request=TransferAcceptSerializer,
        responses={200: TransferSerializer, 400: REFUSED, 409: CONFLICT},
    )
    def post(self, request: Request, uuid: Any) -> Response:
        transfer = access.get_transfer(signed_in(request), uuid)
        given = TransferAcceptSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        org = transfer.to_organization_id
        wanted = given.validated_data["caseworker"]
        caseworker = (caseworkers_of(org) | supervisors_of(org)).filter(uuid=wanted).first()
        if caseworker is None:
            raise serializers.ValidationError(
                {"caseworker": [_("Choose a caseworker of your agency for the case.")]}
            )
        actions.accept_transfer(signed_in(request), transfer, caseworker)
        return Response(_shown(request, access.get_transfer(signed_in(request), uuid)))


class TransferDeclineView(TransferAPIMixin, generics.GenericAPIView[Transfer]):
    serializer_class = TransferDeclineSerializer
    queryset = Transfer.objects.none()

    @extend_schema(
        tags=TAGS,
        summary="Decline a transfer with a reason (receiving agency)",
        request=TransferDeclineSerializer,
        responses={200: TransferSerializer, 400: REFUSED, 409: CONFLICT},
    )
    def post(self, request: Request, uuid: Any) -> Response:
        transfer = access.get_transfer(signed_in(request), uuid)
        given = TransferDeclineSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        actions.decline_transfer(signed_in(request), transfer, given.validated_data["reason"])
        return Response(_shown(request, access.get_transfer(signed_in(request), uuid)))


class TransferCancelView(TransferAPIMixin, generics.GenericAPIView[Transfer]):
    serializer_class = TransferSerializer
    queryset = Transfer.objects.none()

    @extend_schema(
        tags=TAGS,
        summary="Cancel a transfer request (sending agency)",
        request=None,
        responses={200: TransferSerializer, 400: REFUSED, 409: CONFLICT},
    )
    def post(self, request: Request, uuid: Any) -> Response:
        transfer = access.get_transfer(signed_in(request), uuid)
        actions.cancel_transfer(signed_in(request), transfer)
        return Response(_shown(request, access.get_transfer(signed_in(request), uuid)))
