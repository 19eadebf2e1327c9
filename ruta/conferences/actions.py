"""Every change to a case conference: one function per step, atomic, audited.

Functions take the acting user first and raise ``ConferenceError`` (a translated message
for the person). Whether the actor may see the conference at all is checked by the
caller through ``access.get_conference``; who may do each step is checked here.

Actions agreed with an owner of the case's organization also join the case's action
plan: under the first goal of the plan with the need chosen for the action, or, when
the plan has no goal for that need, under a new goal "Actions agreed in case
conferences" with that need (``cases.actions.add_goal`` / ``add_plan_action``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.actions import record
from ruta.cases import actions as case_actions
from ruta.cases.models import (
    ActionStatus,
    Case,
    CaseStatus,
    ConsentPurpose,
    Goal,
    NeedDomain,
)
from ruta.conferences.access import PARTICIPANT_ROLES
from ruta.conferences.models import (
    EDITABLE,
    TRANSITIONS,
    AgendaItem,
    AgendaKind,
    Conference,
    ConferenceAction,
    ConferenceActionStatus,
    ConferenceDecision,
    ConferenceStatus,
    Modality,
    Participant,
)
from ruta.lib.permissions import Cap, Role, user_can
from ruta.notifications.actions import notify
from ruta.notifications.models import NotificationKind


class ConferenceError(Exception):
    """A step that cannot be taken; ``str(error)`` is a message for the person."""


class Forbidden(ConferenceError):
    """The actor may see the conference but not take this step (API: 403)."""


class ConsentMissing(ConferenceError):
    """The case has no active consent to share with the person's organization (409)."""


class IllegalTransition(ConferenceError):
    """The conference is not in a status that allows the step (HTTP 409)."""


def audit_event(event: str, actor: User, conference: Conference, /, **details: Any) -> None:
    record(
        event,
        actor=actor,
        obj=conference,
        organization=conference.case.organization,
        details={"case": str(conference.case.uuid), **details},
    )


def _require_supervisor(actor: User, case: Case) -> None:
    if not (user_can(actor, Cap.SUPERVISE_CASES) and actor.organization_id == case.organization_id):
        raise Forbidden(_("Only a supervisor of the case's organization can do this."))


def _require_recorder(actor: User, conference: Conference) -> None:
    _require_supervisor(actor, conference.case)
    is_participant = Participant.objects.filter(conference=conference, user=actor).exists()
    if not is_participant:
        raise Forbidden(_("Only a supervisor taking part in the conference can do this."))


def _require_editable(conference: Conference) -> None:
    if conference.status not in EDITABLE:
        raise IllegalTransition(
            _("This conference is %(status)s; it cannot be changed any more.")
            % {"status": conference.get_status_display().lower()}
        )


def _check_invitee(case: Case, user: User) -> None:
    """A participant works with case data and, if from another organization, the case
    has an active consent to share with that organization."""
    if not user.is_active or user.role not in PARTICIPANT_ROLES or user.organization_id is None:
        raise ConferenceError(
            _("%(person)s cannot take part: only active supervisors and caseworkers can.")
            % {"person": user}
        )
    if user.organization_id == case.organization_id:
        return
    if not case_actions.has_consent(case, ConsentPurpose.SHARE, recipient=user.organization):
        raise ConsentMissing(
            _(
                "%(person)s cannot be invited: the survivor has not given an active consent "
                "to share information with %(org)s. Record that consent on the case first."
            )
            % {"person": user, "org": user.organization.name}
        )


def _notify_invited(conference: Conference, users: Iterable[Any]) -> None:
    """In-app notice with only the case code and the date: nothing personal travels."""
    notify(
        list(users),
        NotificationKind.CONFERENCE,
        None,  # invitees of other agencies must not be pointed at a case they cannot see
        event="invited",
        reference=conference.case.code,
        link="conferences:conference_detail",
        uuid=str(conference.uuid),
        conference_on=timezone.localtime(conference.scheduled_at).date().isoformat(),
    )


def _add_participants(
    actor: User, conference: Conference, invitees: Sequence[tuple[Any, str]]
) -> list[Participant]:
    existing = set(conference.participants.values_list("user_id", flat=True))
    added = []
    for user, role in invitees:
        if user.pk in existing:
            continue
        _check_invitee(conference.case, user)
        added.append(
            Participant.objects.create(
                conference=conference, user=user, organization=user.organization, role=role[:100]
            )
        )
        existing.add(user.pk)
    for participant in added:
        audit_event(
            "conference.participant_added",
            actor,
            conference,
            participant=str(participant.user.uuid),
            organization=participant.organization_id,
        )
    _notify_invited(conference, [p.user for p in added if p.user.pk != actor.pk])
    return added


# --- Convening -----------------------------------------------------------------------
@transaction.atomic
def convene(
    actor: User,
    case: Case,
    *,
    scheduled_at: dt.datetime,
    modality: str,
    place_or_link: str = "",
    survivor_invited: bool = False,
    participants: Sequence[Any] = (),
    roles: dict[Any, str] | None = None,
    agenda: Sequence[tuple[str, str]] = (),
    actor_role: str = "",
) -> Conference:
    """Convene a conference; the convener takes part and acknowledges confidentiality."""
    _require_supervisor(actor, case)
    if case.status != CaseStatus.OPEN:
        raise ConferenceError(_("Conferences are convened on open cases."))
    if modality not in Modality.values:
        raise ConferenceError(_("Choose a modality from the list."))
    if timezone.is_naive(scheduled_at):
        scheduled_at = timezone.make_aware(scheduled_at)
    if scheduled_at < timezone.now() - dt.timedelta(days=1):
        raise ConferenceError(_("The date of the conference cannot be in the past."))
    items = [(kind, title.strip()) for kind, title in agenda if title.strip()]
    if any(kind not in AgendaKind.values for kind, _title in items):
        raise ConferenceError(_("Choose the kind of each agenda item from the list."))
    if not items:
        raise ConferenceError(_("Add at least one agenda item."))
    invitees = [p for p in participants if p.pk != actor.pk]
    if not invitees:
        raise ConferenceError(_("Invite at least one other participant."))
    conference = Conference.objects.create(
        case=case,
        convened_by=actor,
        scheduled_at=scheduled_at,
        modality=modality,
        place_or_link=place_or_link,
        survivor_invited=survivor_invited,
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(conference=conference, kind=kind, title=title[:200], order=index)
            for index, (kind, title) in enumerate(items, start=1)
        ]
    )
    Participant.objects.create(
        conference=conference,
        user=actor,
        organization=actor.organization,
        role=actor_role[:100] or str(_("Convener")),
        acknowledged_at=timezone.now(),
    )
    audit_event(
        "conference.convened",
        actor,
        conference,
        modality=modality,
        agenda_items=len(items),
        survivor_invited=survivor_invited,
    )
    roles = roles or {}
    _add_participants(actor, conference, [(user, roles.get(user.pk, "")) for user in invitees])
    return conference


@transaction.atomic
def add_participants(
    actor: User, conference: Conference, users: Sequence[Any], role: str = ""
) -> list[Participant]:
    _require_recorder(actor, conference)
    _require_editable(conference)
    if not users:
        raise ConferenceError(_("Choose at least one person to invite."))
    return _add_participants(actor, conference, [(user, role) for user in users])


@transaction.atomic
def acknowledge(actor: User, conference: Conference) -> Participant:
    """The actor commits to keep the conference confidential (idempotent)."""
    participant = Participant.objects.filter(conference=conference, user=actor).first()
    if participant is None:
        raise Forbidden(_("Only participants acknowledge the confidentiality of a conference."))
    if participant.acknowledged_at is None:
        participant.acknowledged_at = timezone.now()
        participant.save(update_fields=["acknowledged_at"])
        audit_event("conference.acknowledged", actor, conference)
    return participant


# --- Record ------------------------------------------------------------------------
@transaction.atomic
def save_minutes(actor: User, conference: Conference, minutes: str) -> Conference:
    _require_recorder(actor, conference)
    _require_editable(conference)
    conference.minutes = minutes
    conference.save(update_fields=["minutes", "updated_at"])
    audit_event("conference.minutes_saved", actor, conference, length=len(minutes))
    return conference


@transaction.atomic
def record_decision(actor: User, conference: Conference, text: str) -> ConferenceDecision:
    _require_recorder(actor, conference)
    _require_editable(conference)
    if not text.strip():
        raise ConferenceError(_("Write the decision."))
    decision = ConferenceDecision.objects.create(
        conference=conference, text=text.strip(), recorded_by=actor
    )
    audit_event("conference.decision_recorded", actor, conference, decision=str(decision.uuid))
    return decision


def conference_goal(actor: User, case: Case, need: str) -> Goal:
    """The plan's first goal with ``need``, or a new conference goal with that need."""
    plan = case_actions.plan_for(case)
    goal = Goal.objects.filter(plan=plan, need=need).order_by("id").first()
    if goal is not None:
        return goal
    return case_actions.add_goal(
        actor, case, need=need, description=_("Actions agreed in case conferences")
    )


def _is_case_team(user: User, case: Case) -> bool:
    if user.organization_id != case.organization_id:
        return False
    return user.role == Role.SUPERVISOR or user.pk == case.caseworker_id


@transaction.atomic
def record_action(
    actor: User,
    conference: Conference,
    *,
    description: str,
    owner: Any,
    due_on: dt.date,
    need: str = NeedDomain.PSYCHOSOCIAL,
) -> ConferenceAction:
    """An action agreed at the conference. The owner must be a participant; an owner of
    the case's organization must be on the case's team, and the action joins the plan."""
    _require_recorder(actor, conference)
    _require_editable(conference)
    case = conference.case
    if not description.strip():
        raise ConferenceError(_("Say what is to be done."))
    if need not in NeedDomain.values:
        raise ConferenceError(_("Choose a need from the list."))
    if not conference.participants.filter(user=owner).exists():
        raise ConferenceError(_("The owner of an action must be a participant."))
    same_org = owner.organization_id == case.organization_id
    if same_org and not _is_case_team(owner, case):
        raise ConferenceError(
            _(
                "In the case's organization, actions are owned by the case's caseworker or a "
                "supervisor, so that they appear in the case's plan and in their work."
            )
        )
    if not same_org:
        _check_invitee(case, owner)
    plan_action = None
    if same_org:
        try:
            goal = conference_goal(actor, case, need)
            plan_action = case_actions.add_plan_action(
                actor,
                case,
                goal,
                description=description.strip(),
                responsible=(owner.full_name or owner.email)[:150],
                due_on=due_on,
            )
        except case_actions.CaseError as error:
            raise ConferenceError(str(error)) from error
    action = ConferenceAction.objects.create(
        conference=conference,
        description=description.strip(),
        owner=owner,
        owner_organization=owner.organization,
        due_on=due_on,
        need=need,
        plan_action=plan_action,
        recorded_by=actor,
    )
    audit_event(
        "conference.action_recorded",
        actor,
        conference,
        action=str(action.uuid),
        owner=str(owner.uuid),
        in_plan=plan_action is not None,
    )
    return action


@transaction.atomic
def complete_action(actor: User, action: ConferenceAction) -> ConferenceAction:
    """The owner (or a recorder of the conference) marks the action done; a linked plan
    action is marked done too."""
    conference = action.conference
    is_owner = action.owner_id == actor.pk
    if not is_owner:
        try:
            _require_recorder(actor, conference)
        except Forbidden as error:
            raise Forbidden(
                _("Only the owner of the action or a supervisor can do this.")
            ) from error
    if action.status == ConferenceActionStatus.DONE:
        raise IllegalTransition(_("This action is already done."))
    action.status = ConferenceActionStatus.DONE
    action.done_at = timezone.now()
    action.save(update_fields=["status", "done_at"])
    plan_action = action.plan_action
    if plan_action is not None and plan_action.status != ActionStatus.DONE:
        try:
            case_actions.update_plan_action(actor, plan_action, status=ActionStatus.DONE)
        except case_actions.CaseError as error:
            raise ConferenceError(str(error)) from error
    audit_event("conference.action_done", actor, conference, action=str(action.uuid))
    return action


# --- Status ------------------------------------------------------------------------
def _move(actor: User, conference: Conference, target: str, note: str = "") -> Conference:
    _require_recorder(actor, conference)
    if target not in TRANSITIONS.get(conference.status, frozenset()):
        raise IllegalTransition(
            _("A conference that is %(current)s cannot be marked %(target)s.")
            % {
                "current": conference.get_status_display().lower(),
                "target": ConferenceStatus(target).label.lower(),
            }
        )
    previous = conference.status
    conference.status = target
    if note:
        conference.status_note = note
    conference.save(update_fields=["status", "status_note", "survivor_attended", "updated_at"])
    audit_event(f"conference.{target}", actor, conference, previous=previous)
    return conference


@transaction.atomic
def mark_held(
    actor: User,
    conference: Conference,
    *,
    survivor_attended: bool | None = None,
    attended: Iterable[Any] = (),
) -> Conference:
    """The meeting took place: who attended (participants by user) and the survivor."""
    conference.survivor_attended = survivor_attended if conference.survivor_invited else False
    conference = _move(actor, conference, ConferenceStatus.HELD)
    present = {getattr(user, "pk", user) for user in attended}
    for participant in conference.participants.all():
        participant.attended = participant.user_id in present
        participant.save(update_fields=["attended"])
    return conference


@transaction.atomic
def close(actor: User, conference: Conference, note: str = "") -> Conference:
    return _move(actor, conference, ConferenceStatus.CLOSED, note)


@transaction.atomic
def cancel(actor: User, conference: Conference, note: str = "") -> Conference:
    return _move(actor, conference, ConferenceStatus.CANCELLED, note)
