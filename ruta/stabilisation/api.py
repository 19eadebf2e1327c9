"""The stabilisation API under /api/v1/stabilisation/.

Programmes, beneficiaries and the payment import: the programme's psychosocial team
(``Cap.HANDLE_HELPLINE`` and the programme's agency; everybody else 404), as on the pages.
Beneficiaries are served by pseudonymous code and coded profile only: the API never sends
a name or a phone. Figures: ``Cap.VIEW_STABILISATION`` (the desk its agency's programmes,
coordinators and analysts every programme's), aggregates only.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.lib.openapi import error_response
from ruta.lib.permissions import Cap, HasCapability
from ruta.stabilisation import access, actions, figures, imports
from ruta.stabilisation.models import Beneficiary, Payment, Programme, QueueEntry
from ruta.stabilisation.serializers import (
    BeneficiarySerializer,
    PaymentImportResultSerializer,
    PaymentImportSerializer,
    ProgrammeSerializer,
    StabilisationFiguresSerializer,
)

TAGS = ["stabilisation"]
PROGRAMME = OpenApiParameter(
    "programme", OpenApiTypes.UUID, description="Only this programme (its uuid)"
)


def _programme_or_404(programmes: QuerySet[Programme], value: Any) -> Programme:
    try:
        found = programmes.filter(uuid=value).first()
    except Exception as error:  # not a uuid
        raise NotFound from error
    if found is None:
        raise NotFound
    return found


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(summary="Your agency's cash-transfer programmes"),
    retrieve=extend_schema(summary="One programme"),
)
class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet[Programme]):
    permission_classes = [HasCapability]
    required_capability = Cap.HANDLE_HELPLINE
    serializer_class = ProgrammeSerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Programme]:
        return (
            access.visible_programmes(self.request.user)
            .select_related("organization", "donor")
            .order_by("-starts_on", "name", "pk")
        )


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        summary="The beneficiaries of your agency's programmes (coded, never a name)",
        parameters=[PROGRAMME],
    ),
)
class BeneficiaryViewSet(viewsets.ReadOnlyModelViewSet[Beneficiary]):
    permission_classes = [HasCapability]
    required_capability = Cap.HANDLE_HELPLINE
    serializer_class = BeneficiarySerializer
    lookup_field = "uuid"

    def get_queryset(self) -> QuerySet[Beneficiary]:
        user = self.request.user
        found = access.visible_beneficiaries(user)
        chosen = self.request.query_params.get("programme")
        if chosen:
            programme = _programme_or_404(access.visible_programmes(user), chosen)
            found = found.filter(programme=programme)
        return (
            found.select_related("programme")
            .annotate(
                in_queue=Exists(
                    QueueEntry.objects.filter(beneficiary=OuterRef("pk"), left_on__isnull=True)
                )
            )
            .prefetch_related(
                Prefetch("payments", queryset=Payment.objects.order_by("expected_on"))
            )
            .order_by("programme_id", "pk")
        )


@extend_schema(
    tags=TAGS,
    summary="Import a payment sheet (all or nothing); the queue follows",
    request=PaymentImportSerializer,
    responses={200: PaymentImportResultSerializer, 400: error_response("Rows with problems.")},
)
class PaymentImportView(APIView):
    permission_classes = [HasCapability]
    required_capability = Cap.HANDLE_HELPLINE

    def post(self, request: Request) -> Response:
        given = PaymentImportSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        programme = _programme_or_404(access.visible_programmes(request.user), data["programme"])
        try:
            content = base64.b64decode(data["content_base64"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise ValidationError({"content_base64": ["Not valid base64."]}) from error
        try:
            result = imports.import_payments(request.user, programme, data["file_name"], content)
        except actions.StabilisationError as error:
            raise ValidationError({"file": [str(error)]}) from error
        if not result.ok:
            raise ValidationError(
                {
                    "rows": [
                        f"{issue.line}: {issue.field}: {issue.reason}"
                        if issue.field
                        else f"{issue.line}: {issue.reason}"
                        for issue in result.issues
                    ]
                }
            )
        body = {
            "payments": result.payments,
            "new_people": result.new_people,
            "entered": result.entered,
            "left": result.left,
        }
        return Response(PaymentImportResultSerializer(body).data)


def _pairs(items: list[tuple[str, int]]) -> list[dict[str, Any]]:
    return [{"label": label, "count": count} for label, count in items]


@extend_schema(
    tags=TAGS,
    summary="BP5_PC figures: the two indicators, delays, contacts, distress, by territory "
    "and profile",
    parameters=[PROGRAMME],
    responses=StabilisationFiguresSerializer,
)
class FiguresView(APIView):
    permission_classes = [HasCapability]
    required_capability = Cap.VIEW_STABILISATION

    def get(self, request: Request) -> Response:
        programmes = access.figures_programmes(request.user)
        chosen = request.query_params.get("programme")
        if chosen:
            programme = _programme_or_404(programmes, chosen)
            programmes = programmes.filter(pk=programme.pk)
        found = figures.compute(programmes)
        data = {
            "mechanisms": found.mechanisms,
            "people_until_paid": found.people_until_paid,
            "target_people": found.target_people,
            "progress": found.progress,
            "people_stabilised": found.people_stabilised,
            "queued_ever": found.queued_ever,
            "in_queue": found.in_queue,
            "contacts": found.contacts,
            "checks_applied": found.checks_applied,
            "mean_delay_days": found.mean_delay_days,
            "contacts_per_person": found.contacts_per_person,
            "distress_n": found.distress_n,
            "distress_change": found.distress_change,
            "budget": found.budget,
            "currencies": found.currencies,
            "by_territory": _pairs(found.by_territory),
            **{f"by_{name}": _pairs(rows) for name, rows in found.by_profile.items()},
        }
        return Response(StabilisationFiguresSerializer(data).data)
