"""Who sees which networks, meetings and materials. Missing or out of reach → 404.

Networks and their members are public. Public meetings are seen by everyone; the others
by logged-in users only. Materials are for logged-in users only, whatever the meeting.
Coordinators (``Cap.MANAGE_PRACTICE_HUB``) manage everything; agency administrators
(``Cap.MANAGE_MEMBERSHIP``) only their own organization's memberships.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ruta.accounts.models import User

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ruta.lib.permissions import Cap, user_can
from ruta.network.models import Meeting, MeetingMaterial, Membership, Network


def networks() -> QuerySet[Network]:
    return Network.objects.all()


def get_network(slug: str) -> Network:
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404
    return network


def visible_meetings(user: User | AnonymousUser) -> QuerySet[Meeting]:
    meetings = Meeting.objects.select_related("network")
    if getattr(user, "is_authenticated", False):
        return meetings
    return meetings.filter(public=True)


def get_meeting(user: User | AnonymousUser, meeting_uuid: Any) -> Meeting:
    meeting = visible_meetings(user).filter(uuid=meeting_uuid).first()
    if meeting is None:
        raise Http404
    return meeting


def get_meeting_by_token(token: Any) -> Meeting:
    """The public registration link works for unlisted meetings too: the key is the secret."""
    meeting = Meeting.objects.select_related("network").filter(registration_token=token).first()
    if meeting is None:
        raise Http404
    return meeting


def may_see_materials(user: User | AnonymousUser) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def get_material(user: User | AnonymousUser, material_uuid: Any) -> MeetingMaterial:
    if not may_see_materials(user):
        raise Http404
    material = (
        MeetingMaterial.objects.select_related("meeting")
        .filter(uuid=material_uuid, meeting__in=visible_meetings(user))
        .first()
    )
    if material is None:
        raise Http404
    return material


def may_manage(user: User | AnonymousUser) -> bool:
    return user_can(user, Cap.MANAGE_PRACTICE_HUB)


def editable_membership(user: User, membership_uuid: Any) -> Membership:
    """Coordinators: any membership; agency administrators: their organization's."""
    memberships = Membership.objects.select_related("network", "organization")
    if not may_manage(user):
        if not user_can(user, Cap.MANAGE_MEMBERSHIP):
            raise Http404
        memberships = memberships.filter(organization_id=user.organization_id)
    membership = memberships.filter(uuid=membership_uuid).first()
    if membership is None:
        raise Http404
    return membership
