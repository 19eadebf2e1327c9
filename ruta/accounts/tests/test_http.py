"""signed_in: the API's user as a User, never an anonymous one."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from ruta.accounts.http import signed_in
from ruta.accounts.models import User


def _request(user: User | AnonymousUser) -> Request:
    request = Request(RequestFactory().get("/api/v1/me/"))
    request.user = user
    return request


def test_signed_in_gives_the_user() -> None:
    user = User(email="someone@example.org")
    assert signed_in(_request(user)) is user


def test_signed_in_refuses_an_anonymous_request() -> None:
    with pytest.raises(NotAuthenticated):
        signed_in(_request(AnonymousUser()))
