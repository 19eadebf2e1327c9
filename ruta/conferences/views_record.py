"""Recording a conference: participants, minutes, decisions, actions and status.

All are POSTs from the forms on the conference page. A refusal re-renders that page
with the form as typed and the message: 400 for bad input, 403 for a step the person
may not take, 409 for a step the conference's status (or a missing consent) forbids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ruta.conferences import access
from ruta.conferences import actions as conf_actions
from ruta.conferences.actions import ConferenceError
from ruta.conferences.forms import (
    ActionForm,
    DecisionForm,
    HeldForm,
    MinutesForm,
    ParticipantsForm,
    StatusNoteForm,
)
from ruta.conferences.models import Conference, ConferenceStatus
from ruta.conferences.views import conference_url, eligible_for, render_detail, status_for
from ruta.lib.permissions import Cap, capability_required


def _record(
    request: AuthenticatedRequest,
    conference_uuid: UUID,
    *,
    form_name: str,
    make_form: Callable[[Conference], Any],
    run: Callable[[Conference, Any], Any],
    success: str,
    anchor: str,
) -> HttpResponse:
    """Parse the form, run the action, go back to the page or show the refusal."""
    conference = access.get_conference(request.user, conference_uuid)
    form = make_form(conference)
    if not access.is_acknowledged(conference):
        return render_detail(request, conference, status=403)
    if not form.is_valid():
        return render_detail(request, conference, status=400, **{form_name: form})
    try:
        run(conference, form)
    except ConferenceError as error:
        form.add_error(None, str(error))
        return render_detail(request, conference, status=status_for(error), **{form_name: form})
    messages.success(request, success)
    return redirect(f"{conference_url(conference)}#{anchor}")


@capability_required(Cap.SUPERVISE_CASES)
@require_POST
def participants_add_view(request: AuthenticatedRequest, conference_uuid: UUID) -> HttpResponse:
    return _record(
        request,
        conference_uuid,
        form_name="participants_form",
        make_form=lambda c: ParticipantsForm(request.POST, eligible=eligible_for(c)),
        run=lambda c, form: conf_actions.add_participants(
            request.user, c, form.chosen_users(), form.cleaned_data.get("role") or ""
        ),
        success=_("The people were invited and notified."),
        anchor="participants",
    )


@capability_required(Cap.SUPERVISE_CASES)
@require_POST
def minutes_view(request: AuthenticatedRequest, conference_uuid: UUID) -> HttpResponse:
    return _record(
        request,
        conference_uuid,
        form_name="minutes_form",
        make_form=lambda c: MinutesForm(request.POST),
        run=lambda c, form: conf_actions.save_minutes(
            request.user, c, form.cleaned_data.get("minutes") or ""
        ),
        success=_("The minutes were saved."),
        anchor="minutes",
    )


@capability_required(Cap.SUPERVISE_CASES)
@require_POST
def decision_create_view(request: AuthenticatedRequest, conference_uuid: UUID) -> HttpResponse:
    return _record(
        request,
        conference_uuid,
        form_name="decision_form",
        make_form=lambda c: DecisionForm(request.POST),
        run=lambda c, form: conf_actions.record_decision(
            request.user, c, form.cleaned_data["text"]
        ),
        success=_("The decision was recorded."),
        anchor="decisions",
    )


@capability_required(Cap.SUPERVISE_CASES)
@require_POST
def action_create_view(request: AuthenticatedRequest, conference_uuid: UUID) -> HttpResponse:
    return _record(
        request,
        conference_uuid,
        form_name="action_form",
        make_form=lambda c: ActionForm(request.POST, conference=c),
        run=lambda c, form: conf_actions.record_action(
            request.user,
            c,
            description=form.cleaned_data["description"],
            owner=form.owner_user(),
            due_on=form.cleaned_data["due_on"],
            need=form.cleaned_data["need"],
        ),
        success=_("The action was recorded."),
        anchor="actions",
    )


@capability_required(Cap.VIEW_CASES)
@require_POST
def action_done_view(
    request: AuthenticatedRequest, conference_uuid: UUID, action_uuid: UUID
) -> HttpResponse:
    conference = access.get_conference(request.user, conference_uuid)
    if not access.is_acknowledged(conference):
        return render_detail(request, conference, status=403)
    action = conference.actions.select_related("plan_action").filter(uuid=action_uuid).first()
    if action is None:
        raise Http404
    action.conference = conference
    try:
        conf_actions.complete_action(request.user, action)
    except ConferenceError as error:
        messages.error(request, str(error))
        return render_detail(request, conference, status=status_for(error))
    messages.success(request, _("The action is marked done."))
    if request.POST.get("next") == "my_actions":
        return redirect("conferences:my_actions")
    return redirect(f"{conference_url(conference)}#actions")


TRANSITION_FORMS: dict[str, Any] = {
    ConferenceStatus.HELD: ("held_form", HeldForm),
    ConferenceStatus.CLOSED: ("note_form", StatusNoteForm),
    ConferenceStatus.CANCELLED: ("note_form", StatusNoteForm),
}


@capability_required(Cap.SUPERVISE_CASES)
@require_POST
def status_view(
    request: AuthenticatedRequest, conference_uuid: UUID, transition: str
) -> HttpResponse:
    if transition not in TRANSITION_FORMS:
        raise Http404
    form_name, form_class = TRANSITION_FORMS[transition]

    def make_form(conference: Conference) -> Any:
        if form_class is HeldForm:
            return HeldForm(request.POST, conference=conference)
        return form_class(request.POST)

    def run(conference: Conference, form: Any) -> Any:
        if transition == ConferenceStatus.HELD:
            return conf_actions.mark_held(
                request.user,
                conference,
                survivor_attended=form.survivor(),
                attended=form.attended_users(),
            )
        note = form.cleaned_data.get("note") or ""
        if transition == ConferenceStatus.CLOSED:
            return conf_actions.close(request.user, conference, note)
        return conf_actions.cancel(request.user, conference, note)

    success = {
        ConferenceStatus.HELD: _("The conference is marked as held."),
        ConferenceStatus.CLOSED: _("The conference is closed."),
        ConferenceStatus.CANCELLED: _("The conference is cancelled."),
    }[ConferenceStatus(transition)]
    return _record(
        request,
        conference_uuid,
        form_name=form_name,
        make_form=make_form,
        run=run,
        success=success,
        anchor="status",
    )
