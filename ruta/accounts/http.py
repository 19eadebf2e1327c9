"""The request type of views that only a signed-in user reaches."""

from __future__ import annotations

from django.http import HttpRequest

from ruta.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind ``login_only`` or ``capability_required``: ``user`` is a ``User``.

    For type checking only: Django builds the request, the decorators guarantee the user.
    """

    user: User
