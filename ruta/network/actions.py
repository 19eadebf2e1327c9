"""Every change to networks, memberships, meetings, registrations and attendance.

Each function runs in a transaction and writes one audit event (ids and counts only, never
names or e-mails). A step that cannot be taken raises ``NetworkError`` with a message for
the person; views show it (409 for the API).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.agencies.models import Organization
from ruta.audit.actions import record
from ruta.network.attendance_csv import parse_attendance
from ruta.network.files import check_material
from ruta.network.models import (
    Attendance,
    AttendanceSource,
    Meeting,
    MeetingFollowUp,
    MeetingMaterial,
    Membership,
    MembershipStatus,
    Network,
    Person,
    Registration,
    RegistrationSource,
)

if TYPE_CHECKING:
    from ruta.accounts.models import User


class NetworkError(Exception):
    """A step that cannot be taken; ``str(error)`` is a message for the person."""


class AttendanceImportError(NetworkError):
    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(_("The file has errors; nothing was imported."))
        self.errors = errors


# --- Networks and memberships ----------------------------------------------------------
NETWORK_FIELDS = ("name", "slug", "country", "description", "website")


@transaction.atomic
def save_network(actor: User, network: Network) -> Network:
    created = network.pk is None
    network.country = (network.country or "").upper()
    network.save()
    record(
        "network.created" if created else "network.updated",
        actor=actor,
        obj=network,
    )
    return network


@transaction.atomic
def save_membership(
    actor: User,
    membership: Membership,
    focal_users: Iterable[Any] | None = None,
    focal_people: Iterable[Person] | None = None,
) -> Membership:
    """Create or update a membership (coordinators); ``left_on`` makes it inactive."""
    created = membership.pk is None
    if membership.left_on:
        membership.status = MembershipStatus.INACTIVE
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError as error:
        raise NetworkError(_("This organization is already a member of the network.")) from error
    if focal_users is not None:
        membership.focal_users.set(
            [u for u in focal_users if u.organization_id == membership.organization_id]
        )
    if focal_people is not None:
        membership.focal_people.set(
            [p for p in focal_people if p.organization_id == membership.organization_id]
        )
    record(
        "network.membership_created" if created else "network.membership_updated",
        actor=actor,
        obj=membership,
        organization=membership.organization,
        details={"network": str(membership.network.uuid), "status": membership.status},
    )
    return membership


@transaction.atomic
def join_network(actor: User, network: Network, on: dt.date | None = None) -> Membership:
    """The actor's organization joins (or rejoins) the network."""
    on = on or timezone.localdate()
    membership = Membership.objects.filter(network=network, organization=actor.organization).first()
    if membership is not None and membership.status == MembershipStatus.ACTIVE:
        raise NetworkError(_("Your organization is already a member of this network."))
    if membership is None:
        membership = Membership(network=network, organization=actor.organization, joined_on=on)
    else:
        membership.joined_on = on
        membership.left_on = None
    membership.status = MembershipStatus.ACTIVE
    membership.save()
    record(
        "network.membership_joined",
        actor=actor,
        obj=membership,
        organization=actor.organization,
        details={"network": str(network.uuid)},
    )
    return membership


@transaction.atomic
def leave_network(actor: User, membership: Membership, on: dt.date | None = None) -> Membership:
    if membership.status != MembershipStatus.ACTIVE:
        raise NetworkError(_("This membership has already ended."))
    on = on or timezone.localdate()
    if on < membership.joined_on:
        raise NetworkError(_("The leaving date is before the joining date."))
    membership.left_on = on
    membership.status = MembershipStatus.INACTIVE
    membership.save(update_fields=["left_on", "status", "updated_at"])
    record(
        "network.membership_left",
        actor=actor,
        obj=membership,
        organization=membership.organization,
        details={"network": str(membership.network.uuid)},
    )
    return membership


@transaction.atomic
def set_focal_points(actor: User, membership: Membership, users: Iterable[Any]) -> Membership:
    chosen = [u for u in users if u.organization_id == membership.organization_id]
    membership.focal_users.set(chosen)
    record(
        "network.focal_points_set",
        actor=actor,
        obj=membership,
        organization=membership.organization,
        details={"count": len(chosen)},
    )
    return membership


# --- Meetings --------------------------------------------------------------------------
@transaction.atomic
def save_meeting(
    actor: User,
    meeting: Meeting,
    hosts: Iterable[Organization] | None = None,
    presenters: Iterable[Organization] | None = None,
) -> Meeting:
    created = meeting.pk is None
    if meeting.ends_at < meeting.starts_at:
        raise NetworkError(_("The meeting ends before it starts."))
    if created:
        meeting.created_by = actor
    meeting.save()
    if hosts is not None:
        meeting.host_organizations.set(list(hosts))
    if presenters is not None:
        meeting.presenting_organizations.set(list(presenters))
    record(
        "network.meeting_created" if created else "network.meeting_updated",
        actor=actor,
        obj=meeting,
        details={"network": str(meeting.network.uuid), "public": meeting.public},
    )
    return meeting


@transaction.atomic
def add_material(actor: User, meeting: Meeting, title: str, upload: Any) -> MeetingMaterial:
    from django.core.exceptions import ValidationError

    try:
        content_type = check_material(upload)
    except ValidationError as error:
        raise NetworkError(" ".join(error.messages)) from error
    material = MeetingMaterial(
        meeting=meeting,
        title=title,
        original_name=upload.name.rsplit("/", 1)[-1][:200],
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    material.file.save(upload.name, upload, save=False)
    material.save()
    record(
        "network.material_added",
        actor=actor,
        obj=material,
        details={"meeting": str(meeting.uuid), "size": material.size},
    )
    return material


@transaction.atomic
def remove_material(actor: User, material: MeetingMaterial) -> None:
    meeting_uuid = str(material.meeting.uuid)
    record("network.material_removed", actor=actor, obj=material, details={"meeting": meeting_uuid})
    material.file.delete(save=False)
    material.delete()


@transaction.atomic
def save_follow_up(actor: User, follow_up: MeetingFollowUp) -> MeetingFollowUp:
    created = follow_up.pk is None
    follow_up.save()
    record(
        "network.follow_up_created" if created else "network.follow_up_updated",
        actor=actor,
        obj=follow_up,
        details={"meeting": str(follow_up.meeting.uuid), "done": follow_up.done},
    )
    return follow_up


# --- People and registration -----------------------------------------------------------
def person_for_user(user: User) -> Person:
    """The user's Person: linked already, or an unlinked one with their e-mail, or new."""
    person = Person.objects.filter(user=user).first()
    if person is not None:
        return person
    email = user.email.strip().lower()
    person = Person.objects.filter(email=email, user__isnull=True).first()
    if person is None:
        person = Person(email=email, full_name=user.full_name or email)
    person.user = user
    person.organization = person.organization or user.organization
    person.save()
    return person


@transaction.atomic
def register_user(actor: User, meeting: Meeting) -> tuple[Registration, bool]:
    """One click: the logged-in user registers; registering twice changes nothing."""
    if not meeting.registration_open:
        raise NetworkError(_("Registration for this meeting is closed."))
    person = person_for_user(actor)
    registration, created = Registration.objects.get_or_create(
        meeting=meeting, person=person, defaults={"source": RegistrationSource.INTERNAL}
    )
    if created:
        record(
            "network.registered",
            actor=actor,
            obj=registration,
            details={"meeting": str(meeting.uuid), "source": registration.source},
        )
    return registration, created


@transaction.atomic
def cancel_registration(actor: User, meeting: Meeting) -> bool:
    person = Person.objects.filter(user=actor).first()
    if person is None:
        return False
    deleted, _rows = Registration.objects.filter(meeting=meeting, person=person).delete()
    if deleted:
        record("network.registration_cancelled", actor=actor, obj=meeting)
    return bool(deleted)


@dataclass
class ExternalParticipant:
    full_name: str
    email: str
    organization_name: str
    sex: str
    country: str
    consent: bool


# Public registrations one connection may make per hour, across meetings.
PUBLIC_REGISTRATIONS_PER_HOUR = 10


@transaction.atomic
def register_external(
    meeting: Meeting, data: ExternalParticipant, client_hash: str = ""
) -> tuple[Registration, bool]:
    """A registration through the public link; the consent to data use is required.

    A second registration with the same e-mail returns the first one (``created`` False).
    ``client_hash`` (a keyed hash of the client address) limits one connection to
    ``PUBLIC_REGISTRATIONS_PER_HOUR`` new registrations an hour.
    """
    if not meeting.registration_open:
        raise NetworkError(_("Registration for this meeting is closed."))
    if client_hash:
        since = timezone.now() - dt.timedelta(hours=1)
        recent = Registration.objects.filter(client_hash=client_hash, registered_at__gte=since)
        if recent.count() >= PUBLIC_REGISTRATIONS_PER_HOUR:
            raise NetworkError(
                _("Too many registrations from this connection in the last hour. Try again later.")
            )
    if not data.consent:
        raise NetworkError(_("We need your consent to the use of your data to register you."))
    email = data.email.strip().lower()
    existing = (
        Registration.objects.filter(meeting=meeting, person__email=email)
        .select_related("person")
        .first()
    )
    if existing is not None:
        return existing, False
    now = timezone.now()
    person = Person.objects.filter(email=email).order_by("created_at").first()
    if person is None:
        organization = (
            Organization.objects.filter(
                Q(name__iexact=data.organization_name) | Q(acronym__iexact=data.organization_name)
            ).first()
            if data.organization_name.strip()
            else None
        )
        person = Person(
            full_name=data.full_name.strip(),
            email=email,
            organization=organization,
            organization_name="" if organization else data.organization_name.strip(),
            sex=data.sex,
            country=data.country,
        )
    person.data_consent_at = now
    person.save()
    registration = Registration.objects.create(
        meeting=meeting, person=person, source=RegistrationSource.PUBLIC, client_hash=client_hash
    )
    record(
        "network.registered",
        obj=registration,
        details={"meeting": str(meeting.uuid), "source": registration.source, "consent": True},
    )
    return registration, True


# --- Attendance ------------------------------------------------------------------------
def _snapshot(person: Person) -> dict[str, Any]:
    return {"organization": person.organization, "organization_name": person.organization_name}


@transaction.atomic
def set_attendance(actor: User, meeting: Meeting, present: Iterable[Person]) -> tuple[int, int]:
    """The check-in list: exactly ``present`` among the registrants attended.

    Attendance imported from a CSV is kept. Returns (added, removed).
    """
    registrants = {r.person_id: r.person for r in meeting.registrations.select_related("person")}
    wanted = {p.pk for p in present if p.pk in registrants}
    current = set(meeting.attendances.values_list("person_id", flat=True))
    now = timezone.now()
    added = [
        Attendance(
            meeting=meeting,
            person=registrants[pk],
            checked_in_at=now,
            source=AttendanceSource.CHECK_IN,
            **_snapshot(registrants[pk]),
        )
        for pk in wanted - current
    ]
    Attendance.objects.bulk_create(added)
    removed, _rows = (
        meeting.attendances.filter(source=AttendanceSource.CHECK_IN, person_id__in=registrants)
        .exclude(person_id__in=wanted)
        .delete()
    )
    record(
        "network.attendance_checked",
        actor=actor,
        obj=meeting,
        details={"added": len(added), "removed": removed},
    )
    return len(added), removed


@transaction.atomic
def add_walk_in(actor: User, meeting: Meeting, person: Person) -> Attendance:
    """Someone who came without registering: registered and checked in at once."""
    if person.pk is None:
        existing = Person.objects.filter(email=person.email).first() if person.email else None
        person = existing or person
        person.save()
    Registration.objects.get_or_create(
        meeting=meeting, person=person, defaults={"source": RegistrationSource.INTERNAL}
    )
    attendance, _created = Attendance.objects.get_or_create(
        meeting=meeting,
        person=person,
        defaults={
            "checked_in_at": timezone.now(),
            "source": AttendanceSource.CHECK_IN,
            **_snapshot(person),
        },
    )
    record(
        "network.walk_in", actor=actor, obj=meeting, details={"attendance": str(attendance.uuid)}
    )
    return attendance


@dataclass
class ImportSummary:
    rows: int
    created: int
    already: int
    new_people: int


def _find_organization(name: str, cache: dict[str, Organization | None]) -> Organization | None:
    key = name.strip().casefold()
    if not key:
        return None
    if key not in cache:
        cache[key] = Organization.objects.filter(
            Q(name__iexact=key) | Q(acronym__iexact=key)
        ).first()
    return cache[key]


def import_attendance(actor: User, meeting: Meeting, data: bytes) -> ImportSummary:
    """Attendance from a video-call report; any bad row → ``AttendanceImportError``, no write."""
    parsed = parse_attendance(data, meeting.starts_at)
    if parsed.errors:
        raise AttendanceImportError(parsed.errors)
    organizations: dict[str, Organization | None] = {}
    created = already = new_people = 0
    with transaction.atomic():
        present = set(meeting.attendances.values_list("person_id", flat=True))
        for row in parsed.rows:
            person = Person.objects.filter(email=row.email).first() if row.email else None
            if person is None:
                organization = _find_organization(row.organization, organizations)
                person = Person.objects.create(
                    full_name=row.name,
                    email=row.email,
                    organization=organization,
                    organization_name="" if organization else row.organization,
                )
                new_people += 1
            if person.pk in present:
                already += 1
                continue
            present.add(person.pk)
            Attendance.objects.create(
                meeting=meeting,
                person=person,
                checked_in_at=row.joined_at,
                source=AttendanceSource.CSV,
                **_snapshot(person),
            )
            created += 1
        record(
            "network.attendance_imported",
            actor=actor,
            obj=meeting,
            details={"rows": len(parsed.rows), "created": created, "already": already},
        )
    return ImportSummary(len(parsed.rows), created, already, new_people)
