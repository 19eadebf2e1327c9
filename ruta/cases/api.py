"""The case management API under /api/v1/cases/ (token or session authentication).

Every view needs ``Cap.VIEW_CASES`` (404 without it, as for a stranger) and reaches cases only through
``access.get_case`` / ``access.visible_cases``: a case that is missing or out of reach
is 404, and so is a record of such a case. Every read is audited as ``case.read``
(the list once per request, with the number of cases shown). Every change goes
through ``ruta.cases.actions``; a refused step (``CaseError``) answers 400 with its
message, a missing consent (``ConsentRequired``) 409.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ruta.accounts.http import signed_in
from ruta.agencies.models import Organization
from ruta.cases import access, actions, retention
from ruta.cases.models import (
    ActionPlan,
    ApprovalRequest,
    Assessment,
    Case,
    CaseStatus,
    CaseType,
    Closure,
    Consent,
    FollowUp,
    Goal,
    Incident,
    MeasureResult,
    PlanAction,
    RiskLevel,
    SafetyPlan,
    Stage,
    StorageChoice,
)
from ruta.cases.serializers import (
    ApprovalCreateSerializer,
    ApprovalDecisionSerializer,
    ApprovalSerializer,
    AssessmentCreateSerializer,
    AssessmentSerializer,
    CaseCreatedSerializer,
    CaseCreateSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    CaseUpdateSerializer,
    ClosureCreateSerializer,
    ClosureSerializer,
    ConsentCreateSerializer,
    ConsentSerializer,
    FollowUpCreateSerializer,
    FollowUpSerializer,
    GoalCreateSerializer,
    GoalSerializer,
    IncidentCreateSerializer,
    IncidentSerializer,
    MeasureCreateSerializer,
    MeasureSerializer,
    PlanActionCreateSerializer,
    PlanActionSerializer,
    PlanActionUpdateSerializer,
    PlanSerializer,
    ReopenSerializer,
    SafetyPlanSerializer,
    SafetyPlanWriteSerializer,
    StorageChoiceDoneSerializer,
    WithdrawSerializer,
)
from ruta.directory.access import visible_services
from ruta.lib.openapi import error_response
from ruta.lib.permissions import Cap, HasCapability

TAGS = ["cases"]


REFUSED = error_response("The step is not allowed, or the input is not valid.")
NO_CONSENT = error_response("A needed consent is missing.")


def _refused(error: actions.CaseError) -> Response:
    code = (
        status.HTTP_409_CONFLICT
        if isinstance(error, actions.ConsentRequired)
        else status.HTTP_400_BAD_REQUEST
    )
    message = str(error)
    return Response({"detail": message, "message": message}, status=code)


def _field_error(field: str, message: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


class CaseAPIMixin(APIView):
    """Rule, audit helper and the translation of domain refusals into HTTP answers."""

    permission_classes = [HasCapability]
    required_capability = Cap.VIEW_CASES

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, actions.CaseError):
            return _refused(exc)
        return super().handle_exception(exc)

    def audit_read(self, case: Case, what: str) -> None:
        access.audit_case_read(self.request, case, what=what)


# --- Cases -------------------------------------------------------------------------------


class CaseFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CaseStatus.choices)
    stage = django_filters.ChoiceFilter(choices=Stage.choices)
    risk_level = django_filters.ChoiceFilter(choices=RiskLevel.choices)
    case_type = django_filters.ChoiceFilter(choices=CaseType.choices)

    class Meta:
        model = Case
        fields: list[str] = []


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        summary="List the cases you can see",
        description="Caseworkers see the cases assigned to them, supervisors their "
        "agency's cases. No client identity in the list. Audited once per request.",
    ),
    retrieve=extend_schema(summary="One case, with its client", responses=CaseDetailSerializer),
    create=extend_schema(
        summary="Register a client and open a case",
        request=CaseCreateSerializer,
        responses={201: CaseCreatedSerializer, 400: REFUSED},
    ),
    partial_update=extend_schema(
        summary="Change the risk level, the stage or the client's details",
        request=CaseUpdateSerializer,
        responses={200: CaseDetailSerializer, 400: REFUSED},
    ),
)
class CaseViewSet(
    CaseAPIMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Case],
):
    serializer_class = CaseListSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = CaseFilter
    lookup_field = "uuid"
    queryset = Case.objects.none()  # for the schema; get_queryset scopes per user

    def get_queryset(self) -> QuerySet[Case]:
        # The list shows no client and no reason: neither is loaded (nor decrypted).
        return (
            access.visible_cases(signed_in(self.request))
            .select_related("organization", "caseworker")
            .defer("risk_reason")
        )

    def _detail(self, case_uuid: Any) -> Case:
        case = access.get_case(signed_in(self.request), case_uuid)
        prefetch_related_objects([case], "consents__recipient")
        return case

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        cases = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(cases)
        assert page is not None  # the API always paginates (settings.REST_FRAMEWORK)
        access.audit_list_read(request, "case_list", page)
        return self.get_paginated_response(CaseListSerializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = self._detail(kwargs["uuid"])
        self.audit_read(case, "case")
        return Response(CaseDetailSerializer(case).data)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = CaseCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        user = signed_in(request)
        caseworker: Any = user
        if data.get("caseworker"):
            caseworker = (
                access.caseworkers_of(user.organization_id).filter(uuid=data["caseworker"]).first()
                or access.supervisors_of(user.organization_id)
                .filter(uuid=data["caseworker"])
                .first()
            )
            if caseworker is None:
                raise _field_error("caseworker", _("Choose a caseworker of your agency."))
        client_fields = dict(data["client"])
        duplicate = actions.duplicate_client_exists(
            user.organization_id,
            client_fields.get("document_number", ""),
        )
        case = actions.register_case(
            user,
            client_fields=client_fields,
            case_type=data["case_type"],
            risk_level=data["risk_level"],
            risk_reason=data["risk_reason"],
            caseworker=caseworker,
            opened_on=data.get("opened_on"),
        )
        case.duplicate_document = duplicate  # type: ignore[attr-defined]
        return Response(CaseCreatedSerializer(case).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        case = access.get_case(signed_in(request), kwargs["uuid"])
        given = CaseUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        actions.update_case(
            signed_in(request),
            case,
            risk_level=data.get("risk_level"),
            risk_reason=data.get("risk_reason"),
            stage=data.get("stage"),
            client_fields=dict(data["client"]) if data.get("client") else None,
        )
        case = self._detail(case.uuid)
        self.audit_read(case, "case")
        return Response(CaseDetailSerializer(case).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.partial_update(request, *args, **kwargs)


# --- Nested records ------------------------------------------------------------------------


class CaseRecordView(CaseAPIMixin, generics.GenericAPIView[Any]):
    """A view on the records of one case (``case_uuid`` in the URL)."""

    pagination_class = None  # a case's records come whole, as a list

    def get_case(self) -> Case:
        return access.get_case(signed_in(self.request), self.kwargs["case_uuid"])

    def get_object(self) -> Any:
        """The case: what DRF checks before it describes a PUT in an OPTIONS answer."""
        return self.get_case()

    def created(self, serializer: Any, obj: Any) -> Response:
        return Response(serializer(obj).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAGS)
class ConsentListView(CaseRecordView):
    serializer_class = ConsentSerializer
    queryset = Consent.objects.none()

    @extend_schema(
        summary="The case's consents, active and withdrawn", responses=ConsentSerializer(many=True)
    )
    def get(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        consents = case.consents.select_related("recipient", "recorded_by", "withdrawn_by")
        self.audit_read(case, "consents")
        return Response(ConsentSerializer(consents, many=True).data)

    @extend_schema(
        summary="Record a consent",
        request=ConsentCreateSerializer,
        responses={201: ConsentSerializer, 400: REFUSED},
    )
    def post(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        given = ConsentCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        recipient = None
        if data.pop("recipient", None) is not None:
            recipient = Organization.objects.filter(
                uuid=given.validated_data["recipient"], active=True
            ).first()
            if recipient is None:
                raise _field_error("recipient", _("Choose an organization of the network."))
        consent = actions.record_consent(signed_in(request), case, recipient=recipient, **data)
        return self.created(ConsentSerializer, consent)


@extend_schema(tags=TAGS)
class ConsentWithdrawView(CaseRecordView):
    serializer_class = ConsentSerializer
    queryset = Consent.objects.none()

    @extend_schema(
        summary="Withdraw a consent",
        request=WithdrawSerializer,
        responses={200: ConsentSerializer, 400: REFUSED},
    )
    def post(self, request: Request, case_uuid: Any, uuid: Any) -> Response:
        case = self.get_case()
        consent = (
            Consent.objects.filter(case=case, uuid=uuid)
            .select_related("recipient", "recorded_by")
            .first()
        )
        if consent is None:
            raise Http404
        consent.case = case
        given = WithdrawSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        consent = actions.withdraw_consent(
            signed_in(request),
            consent,
            given.validated_data["note"],
            storage_choice=given.validated_data["storage_choice"],
        )
        return Response(ConsentSerializer(consent).data)


@extend_schema(tags=TAGS)
class IncidentListView(CaseRecordView):
    serializer_class = IncidentSerializer
    queryset = Incident.objects.none()

    @extend_schema(
        summary="The case's incidents (GBV cases)", responses=IncidentSerializer(many=True)
    )
    def get(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        self.audit_read(case, "incidents")
        return Response(IncidentSerializer(case.incidents.all(), many=True).data)

    @extend_schema(
        summary="Record an incident classified with the GBVIMS questions",
        description="Send the answers to the GBVIMS questions in order and the type they "
        "lead to (``confirmed_type``); a type that does not follow the answers is refused.",
        request=IncidentCreateSerializer,
        responses={201: IncidentSerializer, 400: REFUSED, 409: NO_CONSENT},
    )
    def post(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        given = IncidentCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        incident = actions.record_incident(signed_in(request), case, **given.validated_data)
        return self.created(IncidentSerializer, incident)


@extend_schema(tags=TAGS)
class AssessmentListView(CaseRecordView):
    serializer_class = AssessmentSerializer
    queryset = Assessment.objects.none()

    @extend_schema(summary="The case's assessments", responses=AssessmentSerializer(many=True))
    def get(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        self.audit_read(case, "assessments")
        return Response(AssessmentSerializer(case.assessments.all(), many=True).data)

    @extend_schema(
        summary="Add an assessment",
        request=AssessmentCreateSerializer,
        responses={201: AssessmentSerializer, 400: REFUSED, 409: NO_CONSENT},
    )
    def post(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        given = AssessmentCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        assessment = actions.add_assessment(signed_in(request), case, **given.validated_data)
        return self.created(AssessmentSerializer, assessment)


EMPTY_PLAN: dict[str, Any] = {"uuid": None, "state": None, "updated_at": None, "goals": []}


@extend_schema(tags=TAGS)
class PlanView(CaseRecordView):
    serializer_class = PlanSerializer
    queryset = ActionPlan.objects.none()

    @extend_schema(summary="The case's action plan: goals and their actions")
    def get(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        actions_qs = PlanAction.objects.select_related("service")
        goals = Goal.objects.prefetch_related(Prefetch("actions", queryset=actions_qs))
        plan = (
            ActionPlan.objects.filter(case=case)
            .prefetch_related(Prefetch("goals", queryset=goals))
            .first()
        )
        self.audit_read(case, "plan")
        return Response(PlanSerializer(plan).data if plan is not None else EMPTY_PLAN)


@extend_schema(tags=TAGS)
class GoalCreateView(CaseRecordView):
    serializer_class = GoalSerializer
    queryset = Goal.objects.none()

    @extend_schema(
        summary="Add a goal to the action plan",
        request=GoalCreateSerializer,
        responses={201: GoalSerializer, 400: REFUSED, 409: NO_CONSENT},
    )
    def post(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        given = GoalCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        goal = actions.add_goal(signed_in(request), case, **given.validated_data)
        return self.created(GoalSerializer, goal)


@extend_schema(tags=TAGS)
class PlanActionCreateView(CaseRecordView):
    serializer_class = PlanActionSerializer
    queryset = PlanAction.objects.none()

    @extend_schema(
        summary="Add an action to a goal",
        description="With the pros and cons discussed and the survivor's decision; "
        "``service`` links a service of the directory.",
        request=PlanActionCreateSerializer,
        responses={201: PlanActionSerializer, 400: REFUSED, 409: NO_CONSENT},
    )
    def post(self, request: Request, case_uuid: Any, uuid: Any) -> Response:
        case = self.get_case()
        goal = Goal.objects.filter(plan__case=case, uuid=uuid).select_related("plan").first()
        if goal is None:
            raise Http404
        given = PlanActionCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        service = None
        if data.get("service") is not None:
            service = visible_services(signed_in(request)).filter(uuid=data["service"]).first()
            if service is None:
                raise _field_error("service", _("Choose a service of the directory."))
        data["service"] = service
        action = actions.add_plan_action(signed_in(request), case, goal, **data)
        return self.created(PlanActionSerializer, action)


@extend_schema(tags=TAGS)
class PlanActionDetailView(CaseRecordView):
    serializer_class = PlanActionSerializer
    queryset = PlanAction.objects.none()

    @extend_schema(
        summary="Update an action: progress or what was agreed",
        description="Changing what was agreed (description, responsible, due date, pros, "
        "cons, decision) sends an approved plan back to draft and withdraws a request "
        "waiting for approval; the status alone is progress and changes nothing else.",
        request=PlanActionUpdateSerializer,
        responses={200: PlanActionSerializer, 400: REFUSED},
    )
    def patch(self, request: Request, case_uuid: Any, uuid: Any) -> Response:
        case = self.get_case()
        action = PlanAction.objects.filter(case=case, uuid=uuid).select_related("goal").first()
        if action is None:
            raise Http404
        given = PlanActionUpdateSerializer(data=request.data, partial=True)
        given.is_valid(raise_exception=True)
        if not given.validated_data:
            raise _field_error("status", _("Send at least one field to change."))
        action = actions.update_plan_action(signed_in(request), action, **given.validated_data)
        return Response(PlanActionSerializer(action).data)


@extend_schema(tags=TAGS)
class SafetyPlanView(CaseRecordView):
    serializer_class = SafetyPlanSerializer
    queryset = SafetyPlan.objects.none()

    def _data(self, plan: SafetyPlan | None, case: Case) -> dict[str, Any]:
        if plan is None:
            data = dict(SafetyPlanSerializer(SafetyPlan(case=case)).data)
            data["uuid"] = None
            return data
        return dict(SafetyPlanSerializer(plan).data)

    @extend_schema(summary="The case's safety plan (empty fields until it is saved)")
    def get(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        plan = SafetyPlan.objects.filter(case=case).prefetch_related("emergency_services").first()
        self.audit_read(case, "safety_plan")
        return Response(self._data(plan, case))

    @extend_schema(
        summary="Save the safety plan (replaces every field)",
        request=SafetyPlanWriteSerializer,
        responses={200: SafetyPlanSerializer, 400: REFUSED, 409: NO_CONSENT},
    )
    def put(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        given = SafetyPlanWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        wanted = set(data.pop("emergency_services"))
        services = list(visible_services(signed_in(request)).filter(uuid__in=wanted))
        if len(services) != len(wanted):
            raise _field_error("emergency_services", _("Choose services of the directory."))
        next_review_on = data.pop("next_review_on")
        plan = actions.save_safety_plan(
            signed_in(request),
            case,
            fields=data,
            emergency_services=services,
            next_review_on=next_review_on,
        )
        return Response(self._data(plan, case))


@extend_schema(tags=TAGS)
class FollowUpListView(CaseRecordView):
    serializer_class = FollowUpSerializer
    queryset = FollowUp.objects.none()

    @extend_schema(
        summary="The case's follow-ups and notes", responses=FollowUpSerializer(many=True)
    )
    def get(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        follow_ups = case.follow_ups.select_related("recorded_by")
        self.audit_read(case, "follow_ups")
        return Response(FollowUpSerializer(follow_ups, many=True).data)

    @extend_schema(
        summary="Record a follow-up (visit, call, accompaniment, session or note)",
        request=FollowUpCreateSerializer,
        responses={201: FollowUpSerializer, 400: REFUSED, 409: NO_CONSENT},
    )
    def post(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        given = FollowUpCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        follow_up = actions.add_follow_up(signed_in(request), case, **given.validated_data)
        return self.created(FollowUpSerializer, follow_up)


@extend_schema(tags=TAGS)
class MeasureListView(CaseRecordView):
    serializer_class = MeasureSerializer
    queryset = MeasureResult.objects.none()

    @extend_schema(
        summary="The case's outcome measures (WHO-5, PHQ-9, GAD-7) over time",
        responses=MeasureSerializer(many=True),
    )
    def get(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        self.audit_read(case, "measures")
        return Response(MeasureSerializer(case.measures.all(), many=True).data)

    @extend_schema(
        summary="Administer a measure: scored, banded and flagged on the server",
        description="PHQ-9 item 9 above 0 raises the case to urgent and notifies the "
        "supervisors at once.",
        request=MeasureCreateSerializer,
        responses={201: MeasureSerializer, 400: REFUSED, 409: NO_CONSENT},
    )
    def post(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        given = MeasureCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        measure = actions.record_measure(signed_in(request), case, **given.validated_data)
        return self.created(MeasureSerializer, measure)


@extend_schema(tags=TAGS)
class ClosureListView(CaseRecordView):
    serializer_class = ClosureSerializer
    queryset = Closure.objects.none()

    @extend_schema(summary="The case's closure requests", responses=ClosureSerializer(many=True))
    def get(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        closures = case.closures.select_related("requested_by")
        self.audit_read(case, "closures")
        return Response(ClosureSerializer(closures, many=True).data)

    @extend_schema(
        summary="Ask to close the case (a supervisor approves)",
        request=ClosureCreateSerializer,
        responses={201: ClosureSerializer, 400: REFUSED},
    )
    def post(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        given = ClosureCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        closure = actions.request_closure(signed_in(request), case, **given.validated_data)
        return self.created(ClosureSerializer, closure)


@extend_schema(tags=TAGS)
class ReopenView(CaseRecordView):
    serializer_class = CaseListSerializer
    queryset = Case.objects.none()

    @extend_schema(
        summary="Reopen a closed case, saying why",
        request=ReopenSerializer,
        responses={200: CaseListSerializer, 400: REFUSED},
    )
    def post(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        given = ReopenSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = actions.reopen_case(signed_in(request), case, given.validated_data["reason"])
        return Response(CaseListSerializer(case).data)


@extend_schema(tags=TAGS)
class StorageChoiceView(CaseRecordView):
    required_capability = Cap.SUPERVISE_CASES
    serializer_class = StorageChoiceDoneSerializer
    queryset = Case.objects.none()

    @extend_schema(
        summary="Carry out the survivor's choice after a withdrawal of the storage consent",
        description="A supervisor of the agency erases the case (and every record of it) or "
        "anonymises it, as the person chose when withdrawing the consent to store their "
        "data. Refused when no such choice waits.",
        request=None,
        responses={200: StorageChoiceDoneSerializer, 400: REFUSED},
    )
    def post(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        choice = retention.carry_out_storage_choice(signed_in(request), case)
        done = {"case": case.uuid, "choice": choice, "erased": choice == StorageChoice.ERASE}
        return Response(StorageChoiceDoneSerializer(done).data)


# --- Approvals ---------------------------------------------------------------------------


@extend_schema(tags=TAGS)
class ApprovalListView(CaseRecordView):
    serializer_class = ApprovalSerializer
    queryset = ApprovalRequest.objects.none()

    @extend_schema(
        summary="The case's approval requests, the newest first",
        responses=ApprovalSerializer(many=True),
    )
    def get(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        approvals = case.approvals.select_related("requested_by", "decided_by").order_by(
            "-requested_at", "-id"
        )
        self.audit_read(case, "approvals")
        return Response(ApprovalSerializer(approvals, many=True).data)

    @extend_schema(
        summary="Ask a supervisor to approve an assessment, the action plan or a closure",
        request=ApprovalCreateSerializer,
        responses={201: ApprovalSerializer, 400: REFUSED},
    )
    def post(self, request: Request, case_uuid: Any) -> Response:
        case = self.get_case()
        given = ApprovalCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        approval = actions.request_approval(
            signed_in(request), case, data["kind"], data["target_uuid"]
        )
        return self.created(ApprovalSerializer, approval)


@extend_schema(tags=TAGS)
class ApprovalDecisionView(CaseRecordView):
    required_capability = Cap.SUPERVISE_CASES
    serializer_class = ApprovalSerializer
    queryset = ApprovalRequest.objects.none()

    @extend_schema(
        summary="Approve a request, or return it with a comment (supervisors)",
        description="A supervisor does not approve their own request while the agency has "
        "another supervisor. A closure approved here closes the case.",
        request=ApprovalDecisionSerializer,
        responses={200: ApprovalSerializer, 400: REFUSED},
    )
    def post(self, request: Request, case_uuid: Any, uuid: Any) -> Response:
        case = self.get_case()
        approval = case.approvals.filter(uuid=uuid).first()
        if approval is None:
            raise Http404
        given = ApprovalDecisionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        approval = actions.decide_approval(
            signed_in(request),
            approval,
            approve=given.validated_data["approve"],
            comment=given.validated_data["comment"],
            risk_override_reason=given.validated_data["risk_override_reason"],
        )
        return Response(ApprovalSerializer(approval).data)
