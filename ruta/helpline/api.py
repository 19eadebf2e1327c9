"""The helpline API under /api/v1/helpline/ (token or session authentication).

Contacts and call-backs: the agency's helpline desk only (``Cap.HANDLE_HELPLINE``; any other
role is answered 404, as if nothing were there), through ``access.visible_contacts`` /
``access.visible_callbacks``: an operator reaches the contacts they took and the call-backs
assigned to them or waiting in the queue, a supervisor all of the agency's. Nothing here
reaches a case. Reading one contact (its free text) or one call-back (the number, name and
safe-to-call instructions) is audited with ids only; lists show no free text and no
personal data. Figures: ``Cap.VIEW_AGGREGATES``, scoped by ``access.figures_scope`` (the
network for analysts, the own agency for coordinators and supervisors), small cells
suppressed as on the figures page.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.accounts.http import signed_in
from ruta.accounts.models import User
from ruta.agencies.models import Organization
from ruta.helpline import access, actions, figures
from ruta.helpline.filters import CallbackFilter, ContactFilter
from ruta.helpline.models import Callback, Contact
from ruta.helpline.serializers import (
    CallbackDetailSerializer,
    CallbackFinishSerializer,
    CallbackListSerializer,
    ContactCreatedSerializer,
    ContactCreateSerializer,
    ContactDetailSerializer,
    ContactListSerializer,
    ContactUpdateSerializer,
    HelplineFiguresSerializer,
)
from ruta.lib.openapi import error_response
from ruta.lib.permissions import Cap, HasCapability

TAGS = ["helpline"]
REFUSED = error_response("The step is not allowed, or the input is not valid.")
INCOMPLETE = error_response("The risk protocol's action is missing: the contact stays open.")
# Never loaded for a list: what was said and done.
_FREE_TEXT = ("what_was_done", "needs", "information_given", "follow_up", "risk_action")


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        summary="List the helpline contacts you can see",
        description="Operators see the contacts they took, supervisors their agency's. "
        "The coded profile only: no free text. Audited once per request, with the ids shown.",
    ),
    retrieve=extend_schema(
        summary="One contact, with what was said and done (audited)",
        responses=ContactDetailSerializer,
    ),
    create=extend_schema(
        summary="Record a contact (for yourself, or for another operator of the desk)",
        request=ContactCreateSerializer,
        responses={201: ContactCreatedSerializer, 400: REFUSED},
    ),
    partial_update=extend_schema(
        summary="Change an open contact's coded fields, reasons or notes",
        description="Only the fields sent change; ``reasons`` replaces the list. A closed "
        "contact cannot change (400). Audited with the names of the fields changed.",
        request=ContactUpdateSerializer,
        responses={200: ContactCreatedSerializer, 400: REFUSED},
    ),
)
class ContactViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet[Contact],
):
    permission_classes = [HasCapability]
    required_capability = Cap.HANDLE_HELPLINE
    serializer_class = ContactListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ContactFilter
    lookup_field = "uuid"
    queryset = Contact.objects.none()  # for the schema; get_queryset scopes per user

    def get_queryset(self) -> QuerySet[Contact]:
        return (
            access.visible_contacts(signed_in(self.request))
            .select_related("operator", "alert")
            .prefetch_related("reasons")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contacts = self.filter_queryset(self.get_queryset().defer(*_FREE_TEXT))
        page = self.paginate_queryset(contacts)
        assert page is not None  # the API always paginates (settings.REST_FRAMEWORK)
        if page:
            access.audit_contact_list_read(request, page)
        return self.get_paginated_response(ContactListSerializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contact = self._visible_contact(kwargs["uuid"])
        access.audit_contact_read(request, contact, what="api_contact")
        return Response(ContactDetailSerializer(contact).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = ContactCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        user = signed_in(request)
        operator: Any = None
        if data.get("operator"):
            operator = User.objects.filter(
                uuid=data.pop("operator"), organization_id=user.organization_id
            ).first()
            if operator is None:
                raise ValidationError(
                    {"operator": [_("Choose somebody on the agency's desk as the operator.")]}
                )
        data.pop("operator", None)
        try:
            contact = actions.create_contact(
                user,
                reasons=data.pop("reasons", []),
                phone=data.pop("phone", ""),
                operator=operator,
                **data,
            )
        except actions.HelplineError as error:
            return _refused(error)
        return Response(ContactCreatedSerializer(contact).data, status=status.HTTP_201_CREATED)

    def _visible_contact(self, uuid: Any) -> Contact:
        contact = self.get_queryset().filter(uuid=uuid).first()
        if contact is None:
            raise Http404
        return contact

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contact = self._visible_contact(kwargs["uuid"])
        given = ContactUpdateSerializer(contact, data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        reasons = data.pop("reasons", None)
        phone = data.pop("phone", "")
        try:
            actions.update_contact(
                signed_in(request), contact, reasons=reasons, phone=phone, **data
            )
        except actions.HelplineError as error:
            return _refused(error)
        return Response(ContactCreatedSerializer(contact).data)

    @extend_schema(
        summary="Close a contact",
        description="Refused (409) while a yes in the risk screening has no action taken.",
        request=None,
        responses={200: ContactCreatedSerializer, 400: REFUSED, 409: INCOMPLETE},
    )
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        contact = self._visible_contact(kwargs["uuid"])
        try:
            actions.close_contact(signed_in(request), contact)
        except actions.ProtocolIncomplete as error:
            return _refused(error, status.HTTP_409_CONFLICT)
        except actions.HelplineError as error:
            return _refused(error)
        return Response(ContactCreatedSerializer(contact).data)


def _refused(error: Exception, code: int = status.HTTP_400_BAD_REQUEST) -> Response:
    message = str(error)
    return Response({"detail": message, "message": message}, status=code)


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        summary="List the call-backs you can see",
        description="Operators see those assigned to them and the desk's queue, supervisors "
        "their agency's. No number, name or instructions in the list.",
    ),
    retrieve=extend_schema(
        summary="One call-back, with the number to call (audited)",
        responses=CallbackDetailSerializer,
    ),
)
class CallbackViewSet(viewsets.ReadOnlyModelViewSet[Callback]):
    permission_classes = [HasCapability]
    required_capability = Cap.HANDLE_HELPLINE
    serializer_class = CallbackListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CallbackFilter
    lookup_field = "uuid"
    queryset = Callback.objects.none()  # for the schema; get_queryset scopes per user

    def get_queryset(self) -> QuerySet[Callback]:
        return access.visible_callbacks(signed_in(self.request)).select_related(
            "contact", "assigned_to"
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        callbacks = self.filter_queryset(
            self.get_queryset().defer("phone", "name", "safe_instructions")
        )
        page = self.paginate_queryset(callbacks)
        assert page is not None
        return self.get_paginated_response(CallbackListSerializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        callback = access.get_callback(signed_in(request), kwargs["uuid"])
        access.audit_callback_read(request, callback)
        return Response(CallbackDetailSerializer(callback).data)

    @extend_schema(
        summary="Mark a call-back done or cancelled: its number and name are erased at once",
        request=CallbackFinishSerializer,
        responses={200: CallbackListSerializer, 400: REFUSED},
    )
    def finish(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        callback = access.get_callback(signed_in(request), kwargs["uuid"])
        given = CallbackFinishSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            actions.finish_callback(signed_in(request), callback, done=given.validated_data["done"])
        except actions.HelplineError as error:
            return _refused(error)
        return Response(CallbackListSerializer(callback).data)


@extend_schema(
    tags=TAGS,
    summary="Helpline figures: counts and means, never a person",
    description="Analysts read every desk of the network; coordinators and supervisors their "
    "own agency's. Counts between 1 and the threshold are shown as '<threshold', a mean over "
    "fewer contacts than the threshold is null.",
    parameters=[
        OpenApiParameter(
            "days",
            OpenApiTypes.INT,
            enum=list(figures.PERIODS),
            description="The period: the last 7, 30 (default) or 90 days",
        )
    ],
    responses={200: HelplineFiguresSerializer, 400: REFUSED},
)
class FiguresView(APIView):
    permission_classes = [HasCapability]
    required_capability = Cap.VIEW_AGGREGATES

    def get(self, request: Request) -> Response:
        scope = access.figures_scope(signed_in(request))
        if scope is None:
            raise Http404
        raw = request.query_params.get("days", str(figures.DEFAULT_PERIOD))
        if not raw.isdigit() or int(raw) not in figures.PERIODS:
            allowed = ", ".join(str(days) for days in figures.PERIODS)
            raise ValidationError({"days": [_("Choose one of: %(days)s.") % {"days": allowed}]})
        organization_id = None if scope == access.NETWORK else int(scope)
        found = figures.desk_figures(organization_id, int(raw))
        organization = (
            Organization.objects.filter(pk=organization_id).values_list("uuid", flat=True).first()
            if organization_id is not None
            else None
        )
        data = {
            **found,
            "scope": "network" if organization_id is None else "organization",
            "organization": organization,
            **{
                key: [{"label": row.label, "count": row.count} for row in found[key]]
                for key in ("referrals", "by_channel", "by_reason", "by_day")
            },
        }
        return Response(HelplineFiguresSerializer(data).data)
