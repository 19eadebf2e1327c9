"""Conference pages: my conferences, my actions, a case's conferences, convening, the
conference page and the confidentiality acknowledgement.

Every view needs ``Cap.VIEW_CASES`` (convening ``Cap.SUPERVISE_CASES``) and reaches a
conference only through ``access.get_conference`` (not a participant, or consent
withdrawn: 404). Each GET of a conference is audited as ``conference.read``. The pages
that record minutes, decisions, actions and status changes are in ``views_record.py``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.audit.actions import record
from ruta.cases import access as case_access
from ruta.conferences import access
from ruta.conferences import actions as conf_actions
from ruta.conferences.actions import ConferenceError
from ruta.conferences.forms import (
    CONFIDENTIALITY_STATEMENT,
    AcknowledgeForm,
    ActionForm,
    ConveneForm,
    DecisionForm,
    HeldForm,
    MinutesForm,
    ParticipantsForm,
    StatusNoteForm,
)
from ruta.conferences.models import Conference, Participant
from ruta.conferences.work import open_actions_for
from ruta.lib.permissions import Cap, capability_required
from ruta.ui.forms import error_summary

GET_POST = require_http_methods(["GET", "POST"])
LIST_LIMIT = 200


def conference_url(conference: Conference) -> str:
    return reverse("conferences:conference_detail", kwargs={"conference_uuid": conference.uuid})


def status_for(error: ConferenceError) -> int:
    if isinstance(error, conf_actions.Forbidden):
        return 403
    if isinstance(error, conf_actions.IllegalTransition | conf_actions.ConsentMissing):
        return 409
    return 400


def _with_my_acknowledgement(conferences: Any, user: Any) -> Any:
    mine = Participant.objects.filter(conference_id=OuterRef("pk"), user_id=user.pk)
    return conferences.annotate(
        my_acknowledged_at=Subquery(mine.values("acknowledged_at")[:1])
    ).select_related("case")


# --- Lists -------------------------------------------------------------------------
@capability_required(Cap.VIEW_CASES)
@require_GET
def my_conferences_view(request: HttpRequest) -> HttpResponse:
    """Every conference the user takes part in: before acknowledging, date and code only."""
    user = request.user
    conferences = list(
        _with_my_acknowledgement(access.visible_conferences(user), user).order_by(
            "-scheduled_at", "-id"
        )[:LIST_LIMIT]
    )
    case_access.audit_list_read(request, "my_conferences", conferences)
    return render(request, "conferences/my_conferences.html", {"conferences": conferences})


@capability_required(Cap.VIEW_CASES)
@require_GET
def my_actions_view(request: HttpRequest) -> HttpResponse:
    actions_ = list(open_actions_for(request.user)[:LIST_LIMIT])
    if actions_:  # one audit event for the list, naming each conference shown
        record(
            "conference.read",
            request=request,
            organization=getattr(request.user, "organization", None),
            details={
                "what": "my_actions",
                "conferences": sorted({str(a.conference.uuid) for a in actions_}),
            },
        )
    return render(
        request,
        "conferences/my_actions.html",
        {"actions": actions_, "today": timezone.localdate()},
    )


@capability_required(Cap.VIEW_CASES)
@require_GET
def case_conferences_view(request: HttpRequest, case_uuid: UUID) -> HttpResponse:
    """The case team's view of a case's conferences: only those they take part in."""
    case = case_access.get_case(request.user, case_uuid)
    case_access.audit_case_read(request, case, what="conferences")
    conferences = list(
        _with_my_acknowledgement(
            access.visible_conferences(request.user).filter(case=case), request.user
        ).order_by("-scheduled_at", "-id")
    )
    return render(
        request,
        "conferences/case_conferences.html",
        {
            "case": case,
            "conferences": conferences,
            "can_convene": case_access.can_supervise(request.user, case) and case.is_open,
        },
    )


# --- Convening ---------------------------------------------------------------------
@capability_required(Cap.SUPERVISE_CASES)
@GET_POST
def convene_view(request: HttpRequest, case_uuid: UUID) -> HttpResponse:
    user: Any = request.user
    case = case_access.get_case(user, case_uuid)
    eligible = list(access.eligible_users(case, exclude=[user]))
    status = 200
    if request.method == "POST":
        form = ConveneForm(request.POST, eligible=eligible)
        if form.is_valid():
            data = form.cleaned_data
            try:
                conference = conf_actions.convene(
                    user,
                    case,
                    scheduled_at=data["scheduled_at"],
                    modality=data["modality"],
                    place_or_link=data.get("place_or_link") or "",
                    survivor_invited=bool(data.get("survivor_invited")),
                    participants=form.chosen_users(),
                    roles=form.roles(),
                    agenda=form.agenda(),
                )
            except ConferenceError as error:
                form.add_error(None, str(error))
                status = status_for(error)
            else:
                messages.success(
                    request, _("The conference was convened and the participants notified.")
                )
                return redirect(conference_url(conference))
        else:
            status = 400
    else:
        case_access.audit_case_read(request, case, what="conference_convene")
        form = ConveneForm(eligible=eligible)
    return render(
        request,
        "conferences/convene.html",
        {
            "case": case,
            "form": form,
            "errors": error_summary(form),
            "groups": form.groups(),
            "header": access.case_header(case),
        },
        status=status,
    )


# --- The conference page -----------------------------------------------------------
def detail_context(request: HttpRequest, conference: Conference, **forms: Any) -> dict[str, Any]:
    """Everything the conference page shows to this participant."""
    user: Any = request.user
    participant = access.participant_of(conference)
    case = conference.case
    context: dict[str, Any] = {
        "conference": conference,
        "participant": participant,
        "header": access.case_header(case),
        "acknowledged": participant.has_acknowledged,
        "statement": CONFIDENTIALITY_STATEMENT,
        "ack_form": forms.get("ack_form") or AcknowledgeForm(),
    }
    if not participant.has_acknowledged:
        return context
    can_record = access.can_record(user, conference)
    context.update(
        {
            "case_url": (
                reverse("cases:case_detail", kwargs={"case_uuid": case.uuid})
                if case_access.visible_cases(user).filter(pk=case.pk).exists()
                else ""
            ),
            "agenda": list(conference.agenda_items.all()),
            "participants": list(
                conference.participants.select_related("user", "organization").order_by(
                    "organization__name", "id"
                )
            ),
            "decisions": list(conference.decisions.select_related("recorded_by")),
            "actions": list(
                conference.actions.select_related("owner", "owner_organization", "plan_action")
            ),
            "can_record": can_record,
            "editable": conference.is_editable,
        }
    )
    if can_record:
        context.update(
            {
                "minutes_form": forms.get("minutes_form")
                or MinutesForm(initial={"minutes": conference.minutes}),
                "decision_form": forms.get("decision_form") or DecisionForm(),
                "action_form": forms.get("action_form") or ActionForm(conference=conference),
                "held_form": forms.get("held_form") or HeldForm(conference=conference),
                "note_form": forms.get("note_form") or StatusNoteForm(),
                "participants_form": forms.get("participants_form")
                or ParticipantsForm(eligible=eligible_for(conference)),
            }
        )
    errors: list[dict[str, str]] = []
    for form in forms.values():
        errors += error_summary(form)
    context["errors"] = errors
    return context


def eligible_for(conference: Conference) -> list[Any]:
    taken = conference.participants.values_list("user_id", flat=True)
    return list(access.eligible_users(conference.case, exclude=list(taken)))


def render_detail(
    request: HttpRequest, conference: Conference, status: int = 200, **forms: Any
) -> HttpResponse:
    """The conference page; every showing of it is an audited read."""
    what = "conference" if access.is_acknowledged(conference) else "acknowledgement"
    access.audit_read(request, conference, what=what)
    return render(
        request,
        "conferences/detail.html",
        detail_context(request, conference, **forms),
        status=status,
    )


@capability_required(Cap.VIEW_CASES)
@require_GET
def conference_detail_view(request: HttpRequest, conference_uuid: UUID) -> HttpResponse:
    conference = access.get_conference(request.user, conference_uuid)
    return render_detail(request, conference)


@capability_required(Cap.VIEW_CASES)
@require_POST
def acknowledge_view(request: HttpRequest, conference_uuid: UUID) -> HttpResponse:
    conference = access.get_conference(request.user, conference_uuid)
    form = AcknowledgeForm(request.POST)
    if not form.is_valid():
        return render_detail(request, conference, status=400, ack_form=form)
    conf_actions.acknowledge(request.user, conference)
    messages.success(request, _("Thank you. You can now see the conference."))
    return redirect(conference_url(conference))
