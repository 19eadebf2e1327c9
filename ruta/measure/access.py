"""Whose figures a reader sees: coordinators and analysts the whole network's, agency
admins and supervisors their own organization's. Figures only, never a person."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
