"""Security headers on every response, no inline script anywhere, strong password storage."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from conftest import verified_login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _start_in_spanish() -> Iterator[None]:
    """Each test starts in Spanish: a request to /en/ leaves English active in this thread."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


def _directives(response: Any) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


class _InlineScripts(HTMLParser):
    """Collects what a strict CSP would block: inline <script>, on* handlers, javascript: URLs."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.found.append(f"<script> without src at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{name}= on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"javascript: URL on <{tag}>")


def inline_scripts(html: str) -> list[str]:
    parser = _InlineScripts()
    parser.feed(html)
    return parser.found


def test_inline_script_detector_detects() -> None:
    """The checker below would pass vacuously if it could not see an inline script."""
    assert inline_scripts('<script src="/a.js"></script><p>ok</p>') == []
    assert len(inline_scripts("<script>alert(1)</script>")) == 1
    assert len(inline_scripts('<button onclick="x()">')) == 1
    assert len(inline_scripts('<a href="javascript:x()">')) == 1


@pytest.mark.parametrize("path", ["/cuenta/entrar/", "/en/cuenta/entrar/", "/healthz"])
def test_headers_on_anonymous_responses(client: Any, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    script_src = _directives(response)["script-src"]
    assert "'self'" in script_src
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert _directives(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_headers_on_errors_and_the_api(client: Any, world: Any) -> None:
    for response in (client.get("/no-such-page/"), client.get(reverse("api:me"))):
        assert response.status_code in (401, 404)
        assert "'unsafe-inline'" not in _directives(response)["script-src"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_login_page_has_no_inline_script(client: Any) -> None:
    assert inline_scripts(client.get(reverse("accounts:login")).content.decode()) == []


PAGES = [
    "core:dashboard",
    "core:permissions",
    "agencies:organization_list",
    "agencies:organization_create",
    "accounts:user_list",
    "accounts:user_invite",
    "audit:event_list",
    "accounts:security",
    "accounts:two_factor_setup",
    "accounts:password_change",
]


@pytest.mark.parametrize("name", PAGES)
def test_logged_in_pages_have_no_inline_script(client: Any, world: Any, name: str) -> None:
    verified_login(client, world.user("admin"))
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert inline_scripts(html) == []
    assert "'unsafe-inline'" not in _directives(response)["script-src"]


def test_object_pages_have_no_inline_script(client: Any, world: Any) -> None:
    verified_login(client, world.user("admin"))
    for url in (
        reverse("agencies:organization_detail", args=[world.care.uuid]),
        reverse("agencies:organization_edit", args=[world.care.uuid]),
        reverse("accounts:user_detail", args=[world.user("caseworker.care").uuid]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert inline_scripts(response.content.decode()) == [], url


def test_production_hashes_passwords_with_argon2(world: Any) -> None:
    import ruta.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    user = world.user("coordinator")
    with override_settings(PASSWORD_HASHERS=production.PASSWORD_HASHERS):
        user.set_password("a-long-enough-passphrase-1")
        assert user.password.startswith("argon2$")
        assert user.check_password("a-long-enough-passphrase-1")


@pytest.mark.parametrize(
    "weak",
    [
        "short-pass1",  # 11 characters
        "password1234",  # common
        "123456789012345",  # only digits
    ],
)
def test_weak_passwords_are_refused(weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_a_long_passphrase_is_accepted() -> None:
    validate_password("river-lantern-quiet-harbor-9")
    validate_password("twelve-chars")  # exactly the minimum


def test_validators_are_the_production_ones() -> None:
    import ruta.settings as production

    names = [
        validator["NAME"].rsplit(".", 1)[1] for validator in production.AUTH_PASSWORD_VALIDATORS
    ]
    assert "CommonPasswordValidator" in names
    minimum = next(
        validator
        for validator in production.AUTH_PASSWORD_VALIDATORS
        if validator["NAME"].endswith("MinimumLengthValidator")
    )
    assert minimum["OPTIONS"]["min_length"] == 12
