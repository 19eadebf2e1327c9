"""Referral steps through the actions: consent gate, state machine, snapshot, alerts, metrics."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from ruta.audit.models import AuditEvent
from ruta.cases import actions as case_actions
from ruta.cases.access import visible_cases
from ruta.cases.models import Case
from ruta.cases.tests.factories import ALIAS, FAMILY_NAMES, PHONE, make_case
from ruta.notifications.models import Notification, NotificationKind
from ruta.referrals import actions, metrics
from ruta.referrals.actions import ReferralError
from ruta.referrals.models import (
    TRANSITIONS,
    Channel,
    DeclineReason,
    Outcome,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Urgency,
)
from ruta.referrals.tests.factories import hias_service, make_referral, share_consent

pytestmark = pytest.mark.dates  # reasons about dates: also run under the CI clocks


def _accept(world: Any, referral: Referral) -> Referral:
    return actions.accept_referral(
        world.user("supervisor.hias"),
        referral,
        assign_to=world.user("caseworker.hias"),
        case_type="mhpss",
    )


def test_send_refuses_without_consent_to_share(world: Any) -> None:
    sender = world.user("caseworker.care")
    case = make_case(sender)
    service = hias_service(world)
    with pytest.raises(case_actions.ConsentRequired):
        actions.send_referral(sender, case, service=service, fields=["name"])
    assert not Referral.objects.exists()


def test_consent_for_another_organization_does_not_count(world: Any) -> None:
    sender = world.user("caseworker.care")
    case = make_case(sender)
    share_consent(sender, case, world.outsider_org)
    with pytest.raises(case_actions.ConsentRequired):
        actions.send_referral(sender, case, service=hias_service(world), fields=["name"])


def test_consent_can_be_recorded_in_the_same_step(world: Any) -> None:
    sender = world.user("caseworker.care")
    case = make_case(sender)
    referral = actions.send_referral(
        sender,
        case,
        service=hias_service(world),
        fields=["name"],
        consent={"method": "verbal"},
    )
    assert referral.consent.recipient == world.hias
    assert case_actions.has_consent(case, "share", world.hias)


def test_send_freezes_only_the_chosen_fields_encrypted(world: Any) -> None:
    referral = make_referral(world, fields=("name", "age_band"))
    data = referral.snapshot_data()
    assert set(data) == {"name", "age_band"}
    assert data["name"] == ALIAS
    with connection.cursor() as cursor:
        cursor.execute("SELECT snapshot, reason FROM referrals_referral")
        raw = cursor.fetchone()
    assert ALIAS not in raw[0] and raw[0].startswith("f1:")
    assert "Necesita" not in raw[1]
    assert referral.status == ReferralStatus.SENT
    assert referral.channel == Channel.ON_RUTA
    assert referral.respond_by - referral.sent_at == dt.timedelta(hours=72)
    assert AuditEvent.objects.filter(action="referral.sent").count() == 1


def test_urgent_referral_has_the_short_time_limit(world: Any, settings: Any) -> None:
    settings.RUTA_REFERRAL_HOURS = {"urgent": 12, "normal": 48}
    referral = make_referral(world, urgency=Urgency.URGENT)
    assert referral.respond_by - referral.sent_at == dt.timedelta(hours=12)


def test_receiver_supervisors_are_notified_without_personal_data(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        referral = make_referral(world)
    notes = Notification.objects.filter(recipient=world.user("supervisor.hias"))
    assert not notes.exists()  # nobody is told before the send commits
    for callback in callbacks:
        callback()
    notes = Notification.objects.filter(recipient=world.user("supervisor.hias"))
    assert [n.kind for n in notes] == [NotificationKind.REFERRAL]
    note = notes.get()
    assert note.case is None  # the receiver must not be pointed at the sender's case
    assert note.details["reference"] == referral.reference
    assert ALIAS not in str(note.details)


def test_only_the_case_team_can_send(world: Any) -> None:
    case = make_case(world.user("caseworker.care"))
    share_consent(world.user("caseworker.care"), case, world.hias)
    with pytest.raises(case_actions.CaseError):
        actions.send_referral(
            world.user("caseworker.hias"), case, service=hias_service(world), fields=["name"]
        )


def test_a_second_open_referral_to_the_same_service_is_refused(world: Any) -> None:
    referral = make_referral(world)
    with pytest.raises(ReferralError):
        actions.send_referral(
            world.user("caseworker.care"),
            referral.case,
            service=referral.service,
            fields=["name"],
        )


def test_accept_needs_a_case_type_unless_shared(world: Any) -> None:
    referral = make_referral(world)
    with pytest.raises(ReferralError):
        actions.accept_referral(world.user("supervisor.hias"), referral)
    shared = make_referral(world, service=hias_service(world, "Otro"), fields=("name", "case_type"))
    shared = actions.accept_referral(world.user("supervisor.hias"), shared)
    assert shared.receiver_case is not None
    assert shared.receiver_case.case_type == shared.case.case_type


def test_accept_opens_a_case_in_the_receiving_organization(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        referral = _accept(world, make_referral(world))
    new_case = referral.receiver_case
    assert new_case is not None and new_case.organization == world.hias
    assert new_case.caseworker == world.user("caseworker.hias")
    assert new_case.client.alias == ALIAS
    assert new_case.client.family_names == ""  # not shared, not copied
    assert new_case in visible_cases(world.user("caseworker.hias"))
    assert referral.case not in visible_cases(world.user("supervisor.hias"))
    sender_notes = Notification.objects.filter(
        recipient=world.user("caseworker.care"), kind=NotificationKind.REFERRAL
    )
    assert sender_notes.filter(details__event="accepted").exists()


def test_an_urgent_referral_opens_a_high_risk_case_that_says_why(world: Any) -> None:
    referral = _accept(world, make_referral(world, urgency=Urgency.URGENT))
    new_case = referral.receiver_case
    assert new_case is not None and new_case.risk_level == "high"
    assert new_case.risk_reason  # a high risk level always says why


def test_accept_can_link_an_existing_case(world: Any) -> None:
    existing = make_case(world.user("caseworker.hias"))
    referral = actions.accept_referral(
        world.user("supervisor.hias"), make_referral(world), link_case=existing
    )
    assert referral.receiver_case == existing
    assert Case.objects.filter(organization=world.hias).count() == 1


def test_sender_cannot_take_receiver_steps(world: Any) -> None:
    referral = make_referral(world)
    for person in ("caseworker.care", "supervisor.care", "supervisor.hias"):
        if person == "supervisor.hias":
            continue
        with pytest.raises(ReferralError):
            actions.accept_referral(world.user(person), referral)
        with pytest.raises(ReferralError):
            actions.decline_referral(world.user(person), referral, reason="no_capacity")


def test_unassigned_caseworker_of_the_receiver_cannot_act(world: Any) -> None:
    referral = make_referral(world)
    with pytest.raises(ReferralError):
        actions.accept_referral(world.user("caseworker.hias"), referral)
    actions.assign_referral(world.user("supervisor.hias"), referral, world.user("caseworker.hias"))
    referral = actions.accept_referral(world.user("caseworker.hias"), referral, case_type="gbv")
    assert referral.status == ReferralStatus.ACCEPTED


def test_decline_needs_a_reason_and_a_note_for_other(world: Any) -> None:
    referral = make_referral(world)
    boss = world.user("supervisor.hias")
    with pytest.raises(ReferralError):
        actions.decline_referral(boss, referral, reason="bored")
    with pytest.raises(ReferralError):
        actions.decline_referral(boss, referral, reason=DeclineReason.OTHER, note=" ")
    actions.decline_referral(boss, referral, reason=DeclineReason.NO_CAPACITY)
    assert referral.status == ReferralStatus.DECLINED


def test_complete_needs_feedback_and_tells_the_sender(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    referral = _accept(world, make_referral(world))
    worker = world.user("caseworker.hias")
    with (
        django_capture_on_commit_callbacks(execute=True) as refused,
        pytest.raises(ReferralError),
    ):
        actions.complete_referral(worker, referral, outcome=Outcome.PROVIDED, feedback="")
    assert refused == []  # a refused step tells nobody
    with django_capture_on_commit_callbacks(execute=True):
        actions.complete_referral(
            worker, referral, outcome=Outcome.PROVIDED, feedback="Seis sesiones"
        )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED and referral.feedback == "Seis sesiones"
    assert Notification.objects.filter(
        recipient=world.user("caseworker.care"), details__event="completed"
    ).exists()


# --- The state machine: every transition from every state ------------------------------------
STEPS = {
    ReferralStatus.ACCEPTED: lambda w, r: _accept(w, r),
    ReferralStatus.DECLINED: lambda w, r: actions.decline_referral(
        w.user("supervisor.hias"), r, reason="no_capacity"
    ),
    ReferralStatus.COMPLETED: lambda w, r: actions.complete_referral(
        w.user("supervisor.hias"), r, outcome="provided", feedback="Hecho"
    ),
    ReferralStatus.REVOKED: lambda w, r: actions.revoke_referral(w.user("caseworker.care"), r),
}
# How to bring a fresh referral to each state.
PATHS: dict[str, tuple[str, ...]] = {
    ReferralStatus.SENT: (),
    ReferralStatus.ACCEPTED: (ReferralStatus.ACCEPTED,),
    ReferralStatus.DECLINED: (ReferralStatus.DECLINED,),
    ReferralStatus.COMPLETED: (ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED),
    ReferralStatus.REVOKED: (ReferralStatus.REVOKED,),
}


@pytest.mark.parametrize("start", list(PATHS))
@pytest.mark.parametrize("target", list(STEPS))
def test_every_transition(world: Any, start: str, target: str) -> None:
    referral = make_referral(world)
    for step in PATHS[start]:
        STEPS[step](world, referral)
    assert referral.status == start
    if target in TRANSITIONS[start]:
        STEPS[target](world, referral)
        referral.refresh_from_db()
        assert referral.status == target
        assert ReferralEvent.objects.filter(referral=referral, status=target).exists()
    else:
        with pytest.raises(ReferralError):
            STEPS[target](world, referral)
        referral.refresh_from_db()
        assert referral.status == start


def test_withdrawing_the_consent_revokes_open_referrals_only(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    sender = world.user("caseworker.care")
    live = make_referral(world)
    other_service = hias_service(world, "Otro servicio HIAS")
    second = actions.send_referral(sender, live.case, service=other_service, fields=["name"])
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.withdraw_consent(sender, live.consent, "Ya no quiere")
    live.refresh_from_db()
    second.refresh_from_db()
    assert live.status == second.status == ReferralStatus.REVOKED
    # Never accepted: the copy of the survivor's details is erased, not only hidden.
    assert live.snapshot == second.snapshot == ""
    assert live.snapshot_data() == {}
    erased = AuditEvent.objects.filter(action="referral.snapshot_erased")
    assert erased.count() == 2
    assert Notification.objects.filter(
        recipient=world.user("supervisor.hias"), details__event="revoked"
    ).exists()
    with pytest.raises(ReferralError):
        _accept(world, live)


def test_completed_referral_stays_completed_on_withdrawal(world: Any) -> None:
    referral = _accept(world, make_referral(world))
    actions.complete_referral(
        world.user("caseworker.hias"), referral, outcome="provided", feedback="Listo"
    )
    case_actions.withdraw_consent(world.user("caseworker.care"), referral.consent)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED


def test_printed_referral_is_completed_by_the_sender(world: Any) -> None:
    from ruta.directory.tests.factories import make_service

    service = make_service(world.outsider_org, "Servicio fuera de Ruta")
    referral = make_referral(world, service=service)
    assert referral.channel == Channel.PRINTED
    assert not Notification.objects.filter(kind=NotificationKind.REFERRAL).exists()
    with pytest.raises(ReferralError):
        actions.accept_referral(world.user("outsider"), referral)
    actions.complete_referral(
        world.user("caseworker.care"), referral, outcome="partly", feedback="Fue atendida"
    )
    assert referral.status == ReferralStatus.COMPLETED


def test_overdue_alerts_reach_both_sides_once(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    referral = make_referral(world, urgency=Urgency.URGENT)
    later = referral.respond_by + dt.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.alert_overdue(referral.respond_by - dt.timedelta(minutes=1)) == 0
        assert actions.alert_overdue(later) == 1
        assert actions.alert_overdue(later) == 0
    events = Notification.objects.filter(details__event="overdue")
    recipients = set(events.values_list("recipient__email", flat=True))
    assert world.user("caseworker.care").email in recipients
    assert world.user("supervisor.hias").email in recipients


def test_track_record_counts_and_medians(world: Any) -> None:
    service = hias_service(world)
    boss = world.user("supervisor.hias")
    start = timezone.now() - dt.timedelta(days=10)
    hours = [2, 4, 9]
    for offset in hours:
        referral = make_referral(world, service=service)
        Referral.objects.filter(pk=referral.pk).update(sent_at=start)
        referral.refresh_from_db()
        when = start + dt.timedelta(hours=offset)
        actions.accept_referral(boss, referral, case_type="mhpss", now=when)
    declined = make_referral(world, service=service)
    actions.decline_referral(boss, declined, reason="not_eligible")
    make_referral(world, service=service)  # pending
    record = metrics.service_record(service)
    assert (record.received, record.accepted, record.declined, record.pending) == (5, 3, 1, 1)
    assert record.acceptance_rate == 75
    assert record.median_hours_to_accept == 4.0
    assert record.declined_by_reason == {"not_eligible": 1}
    by_org = metrics.organization_records([world.hias.pk])[world.hias.pk]
    assert by_org.received == 5


def test_personal_data_never_leaks_into_the_trail_or_audit(world: Any) -> None:
    referral = make_referral(world, fields=("name", "phone"))
    _accept(world, referral)
    texts = [str(e.details) for e in AuditEvent.objects.all()]
    texts += [e.note for e in ReferralEvent.objects.all()]
    texts += [str(n.details) for n in Notification.objects.all()]
    assert not any(ALIAS in t or PHONE in t or FAMILY_NAMES in t for t in texts)
