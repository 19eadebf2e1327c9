"""Whose figures a reader sees: coordinators and analysts the whole network's, agency
admins and supervisors their own organization's. Figures only, never a person.

``figures_of`` says whose figures a reader gets when asking for one organization's (the
reach and indicators APIs).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from ruta.agencies.models import Organization
from ruta.lib.permissions import Cap, Role, user_can

if TYPE_CHECKING:
    from ruta.accounts.models import User

NETWORK_READERS = frozenset({Role.COORDINATOR, Role.ANALYST})


def organization_scope(user: User) -> frozenset[int] | None:
    """The organizations whose figures ``user`` sees; None for all of them."""
    if not user_can(user, Cap.VIEW_REACH):
        return frozenset()
    if user.role in NETWORK_READERS:
        return None
    return frozenset({user.organization_id}) if user.organization_id else frozenset()


class OutOfScope(LookupError):
    """The organization asked for is unknown, or not one whose figures the reader sees."""


def figures_of(
    user: User, chosen: uuid.UUID | None
) -> tuple[frozenset[int] | None, Organization | None]:
    """The organizations whose figures ``user`` gets (None: the whole network) and the one
    organization they are of (None: the network).

    A network reader gets the network's figures, or ``chosen``'s; a reader limited to
    their own organization always gets their own, and naming another one (or one that
    does not exist: the two are not told apart) raises ``OutOfScope``."""
    scope = organization_scope(user)
    found = (
        Organization.objects.all() if scope is None else Organization.objects.filter(pk__in=scope)
    )
    if chosen is not None:
        organization = found.filter(uuid=chosen).first()
        if organization is None:
            raise OutOfScope(chosen)
        return frozenset({organization.pk}), organization
    if scope is None:
        return None, None
    return scope, found.first() if len(scope) == 1 else None
