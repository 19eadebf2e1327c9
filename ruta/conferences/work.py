"""Conference actions waiting for someone: the owner's task list across organizations.

Actions owned by people of the case's organization also live in the case's action plan
(and so in that organization's task lists); this list is what owners in *other*
organizations have, and it shows every open action of the user's conferences.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.models import User


from django.db.models import QuerySet

from ruta.conferences.access import acknowledged_conferences
from ruta.conferences.models import ConferenceAction, ConferenceActionStatus


def open_actions_for(user: User) -> QuerySet[ConferenceAction]:
    """The user's open conference actions, soonest due first, in conferences they may
    still see (a withdrawn consent removes them at once)."""
    return (
        ConferenceAction.objects.filter(
            owner_id=user.pk,
            status=ConferenceActionStatus.OPEN,
            conference__in=acknowledged_conferences(user).values("pk"),
        )
        .select_related("conference", "conference__case")
        .order_by("due_on", "id")
    )
