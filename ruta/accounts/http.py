"""The request type of views that only a signed-in user reaches."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest
from rest_framework.exceptions import NotAuthenticated

from ruta.accounts.models import User

if TYPE_CHECKING:
    from rest_framework.request import Request


class AuthenticatedRequest(HttpRequest):
    """A request behind ``login_only`` or ``capability_required``: ``user`` is a ``User``.

    For type checking only: Django builds the request, the decorators guarantee the user.
    """

    user: User


def signed_in(request: Request) -> User:
    """The user of an API request that its permission classes let through.

    Every API view but the public ones needs a signed-in user (``HasCapability``), so the
    refusal below never answers in practice: it narrows ``User | AnonymousUser`` safely.
    """
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated
    return user
