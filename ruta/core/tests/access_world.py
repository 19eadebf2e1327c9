"""A small world of cases for the access fuzz, and an independent statement of who may
see what of each case (``Marker.visible_to``).

Everything is built through the domain actions and the test factories. Every case's
client, narrative and linked records carry distinctive marker strings: short, ASCII,
searchable in HTML, JSON, CSV, XLSX, PDF and ICS alike. The oracle below does not call
any ``access.py``: it restates the rules from the facts the builder recorded.

The rules, as the access modules' docstrings state them:

* the case team sees everything of a case: a supervisor of the organization that holds
  it, or the caseworker it is assigned to;
* a referral's receiver (the receiving organization's supervisors, or the caseworker the
  referral is assigned to, on Ruta only) sees the snapshot fields the sender chose while
  the referral is sent, accepted or completed *and* the consent to share stands;
  never the case's code or narrative;
* a transfer is seen by the supervisors of both agencies (the case code); the reason by
  the sender, and by the receiver once accepted or while requested with consent standing;
* after an accepted transfer the sending agency's supervisors and the former caseworker
  keep the entries written by that agency before the transfer;
* a conference is seen by its participants whose organization holds the case or has a
  standing consent to share (the case code); its minutes once they acknowledged.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from conftest import make_user
from ruta.cases import actions as case_actions
from ruta.cases.models import Case, Consent, ConsentPurpose, RiskLevel
from ruta.cases.tests.factories import (
    give_consent,
    make_assessment,
    make_case,
    make_follow_up,
    make_incident,
    make_plan,
    pending_closure,
)
from ruta.conferences import actions as conference_actions
from ruta.conferences.models import AgendaKind, Conference, Modality
from ruta.directory.tests.factories import make_service
from ruta.lib.permissions import Role
from ruta.referrals import actions as referral_actions
from ruta.referrals.models import Referral
from ruta.transfers import actions as transfer_actions
from ruta.transfers.models import Transfer

CASE_ROLES = (Role.SUPERVISOR, Role.CASEWORKER)
Rule = Callable[[Any], bool]


@dataclass
class Marker:
    """One distinctive string and the rules under which a user may meet it."""

    case: str  # the key of the case it belongs to, for messages
    label: str  # what it is: "client given names", "transfer reason", ...
    value: str
    rules: list[Rule] = field(default_factory=list)

    def visible_to(self, user: Any) -> bool:
        return any(rule(user) for rule in self.rules)


@dataclass
class Team:
    """Who holds a case now, as the builder set it (not as the database says)."""

    organization_id: int
    caseworker_id: int

    def sees(self, user: Any) -> bool:
        if user.organization_id != self.organization_id or user.role not in CASE_ROLES:
            return False
        return user.role == Role.SUPERVISOR or user.pk == self.caseworker_id


@dataclass
class CaseFacts:
    key: str
    case: Case
    team: Team
    markers: dict[str, Marker] = field(default_factory=dict)


@dataclass
class AccessWorld:
    base: Any  # the conftest ``World``
    cases: dict[str, CaseFacts] = field(default_factory=dict)
    referrals: dict[str, Referral] = field(default_factory=dict)
    transfers: dict[str, Transfer] = field(default_factory=dict)
    conferences: dict[str, Conference] = field(default_factory=dict)
    services: dict[str, Any] = field(default_factory=dict)
    extra_markers: list[Marker] = field(default_factory=list)

    @property
    def users(self) -> dict[str, Any]:
        users: dict[str, Any] = self.base.users
        return users

    def markers(self) -> list[Marker]:
        found = [m for facts in self.cases.values() for m in facts.markers.values()]
        return found + self.extra_markers

    def forbidden(self, user: Any) -> list[Marker]:
        return [marker for marker in self.markers() if not marker.visible_to(user)]


_serial = itertools.count(1)


def _tag(prefix: str) -> str:
    """A marker nobody would type: ``zq`` + kind + a serial, lower-case ASCII."""
    return f"zq{prefix}{next(_serial):03d}x"


def _supervisor_of(organization_id: int) -> Rule:
    return lambda user: user.role == Role.SUPERVISOR and user.organization_id == organization_id


def _open_case(w: AccessWorld, key: str, caseworker: Any, *, actor: Any = None) -> CaseFacts:
    """A case with a services consent, an incident, an assessment, a plan, a safety plan
    and a follow-up, each carrying its own marker."""
    names = {
        "given_names": _tag("gn"),
        "family_names": _tag("fn"),
        "alias": _tag("al"),
        "phone": f"9{next(_serial):03d}731846",
        "code_word": _tag("cw"),
        "address": _tag("ad"),
        "safe_times": _tag("st"),
        "risk_reason": _tag("rk"),
    }
    case = make_case(
        caseworker,
        actor=actor,
        risk_level=RiskLevel.HIGH,
        given_names=names["given_names"],
        family_names=names["family_names"],
        alias=names["alias"],
        phone=f"+51{names['phone']}",
        code_word=names["code_word"],
        address=names["address"],
        safe_times=names["safe_times"],
    )
    # make_case sets the default risk reason; give this case its own.
    case_actions.set_risk(actor or caseworker, case, RiskLevel.HIGH, names["risk_reason"])
    author = actor or caseworker
    narrative = {
        "incident": make_incident(author, case, description=_tag("in")).description,
        "assessment": make_assessment(author, case, narrative=_tag("as")).narrative,
        "follow-up": make_follow_up(author, case, note=_tag("fu")).note,
    }
    make_plan(author, case)
    safety = _tag("sp")
    case_actions.save_safety_plan(
        author,
        case,
        fields={
            "risks": safety,
            "strategies": "-",
            "safe_people": "-",
            "safe_places": "-",
            "other_numbers": "",
        },
    )
    case.refresh_from_db()
    team = Team(case.organization_id, case.caseworker_id)
    facts = CaseFacts(key, case, team)
    seen_by_team: Rule = team.sees
    facts.markers["code"] = Marker(key, "case code", case.code, [seen_by_team])
    for label, value in names.items():
        facts.markers[label] = Marker(key, f"client {label}", value, [seen_by_team])
    facts.markers["safety plan"] = Marker(key, "safety plan risks", safety, [seen_by_team])
    for label, value in narrative.items():
        facts.markers[label] = Marker(key, f"{label} narrative", value, [seen_by_team])
    w.cases[key] = facts
    return facts


def _share(actor: Any, facts: CaseFacts, organization: Any) -> Consent:
    return give_consent(actor, facts.case, ConsentPurpose.SHARE, recipient=organization)


def _hand_over(facts: CaseFacts, team: Team) -> None:
    """The case has a new team: the old one's rules give way to the new one's."""
    old = facts.team.sees
    for marker in facts.markers.values():
        marker.rules = [team.sees if rule == old else rule for rule in marker.rules]
    facts.team = team


# --- Referrals --------------------------------------------------------------------------------
SNAPSHOT_MARKERS = {
    "name": ("alias",),
    "phone": ("phone",),
    "safe_contact": ("code_word", "safe_times"),
}


def _referral(
    w: AccessWorld,
    key: str,
    facts: CaseFacts,
    service: Any,
    sender: Any,
    fields: tuple[str, ...],
    *,
    then: Callable[[Referral], Any] = lambda r: r,
    withdraw: bool = False,
) -> Referral:
    """A referral of ``facts``'s case, moved on by ``then``, its consent maybe withdrawn.

    The receiver rule reads the referral's final status and assignee from the world as
    built: the builder decides them, and nothing changes them afterwards (GET only)."""
    consent = _share(sender, facts, service.organization)
    reason = _tag("rr")
    referral = referral_actions.send_referral(
        sender, facts.case, service=service, fields=fields, reason=reason
    )
    referral = then(referral)
    if withdraw:
        case_actions.withdraw_consent(sender, consent)
    referral.refresh_from_db()
    status, assignee = referral.status, referral.assigned_to_id
    on_ruta = referral.channel == "ruta"
    to_org = referral.to_organization_id
    snapshot_open = status in ("sent", "accepted", "completed") and not withdraw

    def receiver(user: Any) -> bool:
        if not on_ruta or user.organization_id != to_org or user.role not in CASE_ROLES:
            return False
        return user.role == Role.SUPERVISOR or user.pk == assignee

    def reads_snapshot(user: Any) -> bool:
        return snapshot_open and receiver(user)

    for shared, labels in SNAPSHOT_MARKERS.items():
        if shared in fields:
            for label in labels:
                facts.markers[label].rules.append(reads_snapshot)
    facts.markers[f"referral {key} reason"] = Marker(
        facts.key, f"referral {key} reason", reason, [facts.team.sees, reads_snapshot]
    )
    if referral.receiver_case_id is not None:
        # The receiver's own case, opened from the snapshot: its team sees what it copied.
        receiver_case = referral.receiver_case
        assert receiver_case is not None
        holder = Team(receiver_case.organization_id, receiver_case.caseworker_id)
        for shared, labels in SNAPSHOT_MARKERS.items():
            if shared in fields:
                for label in labels:
                    facts.markers[label].rules.append(holder.sees)
        w.cases[f"{key}.receiver"] = CaseFacts(
            f"{key}.receiver",
            receiver_case,
            holder,
            {"code": Marker(f"{key}.receiver", "case code", receiver_case.code, [holder.sees])},
        )
    w.referrals[key] = referral
    return referral


# --- Transfers --------------------------------------------------------------------------------
def _transfer(
    w: AccessWorld,
    key: str,
    facts: CaseFacts,
    to: Any,
    *,
    then: str = "",
    withdraw: bool = False,
) -> Transfer:
    base = w.base
    from_org = facts.case.organization
    from_slug = "care" if from_org.pk == base.care.pk else "hias"
    to_slug = "care" if to.pk == base.care.pk else "hias"
    sender = base.user(f"supervisor.{from_slug}")
    receiver = base.user(f"supervisor.{to_slug}")
    consent = _share(sender, facts, to)
    reason = _tag("tr")
    transfer = transfer_actions.request_transfer(sender, facts.case, to, reason)
    previous_caseworker = facts.team.caseworker_id
    if then == "accepted":
        transfer = transfer_actions.accept_transfer(
            receiver, transfer, base.user(f"caseworker.{to_slug}")
        )
    elif then == "declined":
        transfer = transfer_actions.decline_transfer(receiver, transfer, "No")
    elif then == "cancelled":
        transfer = transfer_actions.cancel_transfer(sender, transfer)
    if withdraw:
        case_actions.withdraw_consent(
            base.user(f"supervisor.{to_slug if then == 'accepted' else from_slug}"), consent
        )
    transfer.refresh_from_db()
    status = transfer.status
    sender_side = _supervisor_of(from_org.pk)
    receiver_side = _supervisor_of(to.pk)

    def reads_reason(user: Any) -> bool:
        if sender_side(user) or (receiver_side(user) and status == "accepted"):
            return True
        return receiver_side(user) and status == "requested" and not withdraw

    facts.markers["code"].rules += [sender_side, receiver_side]
    facts.markers[f"transfer {key} reason"] = Marker(
        facts.key, f"transfer {key} reason", reason, [facts.team.sees, reads_reason]
    )
    if status == "accepted":
        _hand_over(facts, Team(to.pk, base.user(f"caseworker.{to_slug}").pk))

        # What the sending agency keeps: its own earlier entries, and the code.
        def kept(user: Any) -> bool:
            return sender_side(user) or (user.pk == previous_caseworker and user.role in CASE_ROLES)

        for label in ("incident", "assessment", "follow-up", "code"):
            facts.markers[label].rules.append(kept)
    w.transfers[key] = transfer
    return transfer


# --- Conferences --------------------------------------------------------------------------------
def _conference(
    w: AccessWorld,
    key: str,
    facts: CaseFacts,
    participants: list[Any],
    acknowledging: list[Any],
    *,
    withdraw_from: Any = None,
) -> Conference:
    base = w.base
    convener = base.user("supervisor.care")
    consent = _share(convener, facts, base.hias)
    conference = conference_actions.convene(
        convener,
        facts.case,
        scheduled_at=timezone.now() + dt.timedelta(days=3),
        modality=Modality.ONLINE,
        place_or_link="-",
        participants=participants,
        agenda=[(AgendaKind.PROGRESS, "-")],
    )
    minutes = _tag("cm")
    conference_actions.save_minutes(convener, conference, minutes)
    for person in acknowledging:
        conference_actions.acknowledge(person, conference)
    if withdraw_from is not None:
        case_actions.withdraw_consent(convener, consent)
    case_org = facts.case.organization_id
    members = {convener.pk, *(p.pk for p in participants)}
    acknowledged = {convener.pk, *(p.pk for p in acknowledging)}
    hias_shared = withdraw_from is None

    def participant(user: Any) -> bool:
        if user.pk not in members:
            return False
        return user.organization_id == case_org or (
            hias_shared and user.organization_id == base.hias.pk
        )

    facts.markers["code"].rules.append(participant)
    facts.markers[f"conference {key} minutes"] = Marker(
        facts.key,
        f"conference {key} minutes",
        minutes,
        [lambda user: participant(user) and user.pk in acknowledged],
    )
    w.conferences[key] = conference
    return conference


# --- The world ------------------------------------------------------------------------------------
def build(base: Any) -> AccessWorld:
    """Cases in every state, referrals in each state, transfers, conferences."""
    w = AccessWorld(base)
    u = base.user
    for slug in ("care", "hias"):
        org = getattr(base, slug)
        base.users[f"caseworker2.{slug}"] = make_user(
            f"caseworker2.{slug}@test.org", Role.CASEWORKER, org
        )

    # Cases of each agency: one per caseworker, one a supervisor holds, a closed one, one
    # waiting for closure.
    for slug in ("care", "hias"):
        _open_case(w, f"{slug}.open", u(f"caseworker.{slug}"))
        _open_case(w, f"{slug}.other", u(f"caseworker2.{slug}"))
        _open_case(w, f"{slug}.supervised", u(f"supervisor.{slug}"))
        closing = _open_case(w, f"{slug}.closing", u(f"caseworker.{slug}"))
        pending_closure(u(f"caseworker.{slug}"), closing.case)
        closed = _open_case(w, f"{slug}.closed", u(f"caseworker2.{slug}"))
        closure = pending_closure(u(f"caseworker2.{slug}"), closed.case)
        approval = closed.case.approvals.get(target_uuid=closure.uuid)
        case_actions.decide_approval(u(f"supervisor.{slug}"), approval, approve=True)
        # Written by one caseworker, then handed to the other: the first keeps nothing.
        moved = _open_case(w, f"{slug}.reassigned", u(f"caseworker.{slug}"))
        case_actions.reassign(u(f"supervisor.{slug}"), moved.case, u(f"caseworker2.{slug}"))
        _hand_over(moved, Team(moved.team.organization_id, u(f"caseworker2.{slug}").pk))
    _open_case(w, "otra.open", u("outsider"))

    # Referrals CARE → HIAS in each state, and one on paper to the outsider agency.
    service = make_service(base.hias, "Acompañamiento HIAS", terms=("psychosocial_support",))
    w.services["hias"] = service
    w.services["care"] = make_service(base.care, "Acompañamiento CARE")
    w.services["otra"] = make_service(base.outsider_org, "Servicio fuera de Ruta")
    sender = u("caseworker.care")
    hias_sup, hias_cw = u("supervisor.hias"), u("caseworker.hias")

    def referred(key: str) -> CaseFacts:
        return _open_case(w, f"ref.{key}", sender)

    def assign(r: Referral) -> Referral:
        return referral_actions.assign_referral(hias_sup, r, hias_cw)

    def accept(r: Referral) -> Referral:
        return referral_actions.accept_referral(
            hias_sup, r, assign_to=u("caseworker2.hias"), case_type="gbv"
        )

    def decline(r: Referral) -> Referral:
        return referral_actions.decline_referral(hias_sup, r, reason="no_capacity")

    def complete(r: Referral) -> Referral:
        return referral_actions.complete_referral(
            hias_sup, accept(r), outcome="provided", feedback="ok"
        )

    def revoke(r: Referral) -> Referral:
        return referral_actions.revoke_referral(sender, r, reason="-")

    _referral(w, "sent", referred("sent"), service, sender, ("name", "safe_contact"))
    _referral(w, "assigned", referred("assigned"), service, sender, ("name", "phone"), then=assign)
    _referral(w, "accepted", referred("accepted"), service, sender, ("name",), then=accept)
    _referral(w, "declined", referred("declined"), service, sender, ("name",), then=decline)
    _referral(
        w,
        "completed-withdrawn",
        referred("completed"),
        service,
        sender,
        ("name", "phone", "safe_contact"),
        then=complete,
        withdraw=True,
    )
    _referral(w, "revoked", referred("revoked"), service, sender, ("name",), then=revoke)
    _referral(w, "sent-withdrawn", referred("withdrawn"), service, sender, ("name",), withdraw=True)
    _referral(w, "printed", referred("printed"), w.services["otra"], sender, ("name", "phone"))
    _referral(
        w,
        "from-hias",
        _open_case(w, "ref.from-hias", u("caseworker.hias")),
        w.services["care"],
        u("caseworker.hias"),
        ("name", "safe_contact"),
    )

    # Transfers: waiting, waiting after the consent was withdrawn, accepted, declined,
    # cancelled, cancelled after withdrawal, and one HIAS → CARE.
    care_cw = u("caseworker.care")
    for key, then, withdraw in (
        ("requested", "", False),
        ("requested-withdrawn", "", True),
        ("accepted", "accepted", False),
        ("declined", "declined", False),
        ("cancelled", "cancelled", False),
        ("cancelled-withdrawn", "cancelled", True),
    ):
        _transfer(
            w, key, _open_case(w, f"tr.{key}", care_cw), base.hias, then=then, withdraw=withdraw
        )
    _transfer(w, "from-hias", _open_case(w, "tr.from-hias", hias_cw), base.care)
    _transfer(
        w,
        "from-hias-cancelled",
        _open_case(w, "tr.from-hias-cancelled", hias_cw),
        base.care,
        then="cancelled",
    )

    # Conferences on CARE cases with HIAS's supervisor: all acknowledged; one participant
    # who has not acknowledged; consent to share with HIAS withdrawn afterwards.
    care_cw2 = u("caseworker2.care")
    _conference(
        w,
        "acknowledged",
        _open_case(w, "conf.acknowledged", care_cw),
        [care_cw, hias_sup],
        [care_cw, hias_sup],
    )
    _conference(
        w,
        "unacknowledged",
        _open_case(w, "conf.unacknowledged", care_cw),
        [care_cw2, hias_sup],
        [care_cw2],
    )
    _conference(
        w,
        "withdrawn",
        _open_case(w, "conf.withdrawn", care_cw),
        [care_cw, hias_sup],
        [care_cw, hias_sup],
        withdraw_from=base.hias,
    )
    return w
