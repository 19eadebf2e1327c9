"""Session rules that apply to every request: idle expiry, preferred language, 2FA gate."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.translation import gettext as _

from ruta.lib.permissions import TWO_FACTOR_ROLES

LAST_SEEN_KEY = "ruta_last_seen"
# Writing the session on every request would cost a database write per click.
TOUCH_EVERY_SECONDS = 60


def _is_htmx(request: HttpRequest) -> bool:
    # Read the header itself: django-htmx's middleware runs after these ones.
    return request.headers.get("HX-Request") == "true"


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


class IdleTimeoutMiddleware:
    """Log out a session that has been idle longer than RUTA_SESSION_IDLE_MINUTES."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_SEEN_KEY)
            idle_limit = settings.RUTA_SESSION_IDLE_MINUTES * 60
            if last is not None and now - last > idle_limit:
                from ruta.audit.actions import record

                record(
                    "auth.session_expired",
                    request=request,
                    obj=request.user,
                    details={"idle_minutes": settings.RUTA_SESSION_IDLE_MINUTES},
                )
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"message": _("Your session expired.")}, status=401)
                messages.info(
                    request,
                    _("Your session expired after a period of inactivity. Please log in again."),
                )
                return _redirect(request, redirect_to_login(request.get_full_path())["Location"])
            if last is None or now - last >= TOUCH_EVERY_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class UserLanguageMiddleware:
    """Keep people in the language they chose: unprefixed pages redirect to /en/ for English.

    The choice comes from the account when logged in, else from the language cookie.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "GET" and not _is_htmx(request):
            preferred = self._preferred(request)
            if (
                preferred
                and preferred != settings.LANGUAGE_CODE
                and translation.get_language_from_path(request.path_info) is None
                and self._redirects(request)
            ):
                target = translate_url(request.get_full_path(), preferred)
                if target != request.get_full_path():
                    return HttpResponseRedirect(target)
        return self.get_response(request)

    @staticmethod
    def _preferred(request: HttpRequest) -> str | None:
        user = request.user
        if user.is_authenticated:
            return str(user.language)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        return cookie if cookie in dict(settings.LANGUAGES) else None

    # Pages in the public layout (public_base.html) switch language with plain links and
    # set no cookie: for a signed-out visitor their address alone says the language.
    PUBLIC_LAYOUT = frozenset(
        {
            "core:dashboard",
            "finder:search",
            "finder:service_detail",
            "trainings:verify",
            "trainings:verify_code",
        }
    )

    @classmethod
    def _redirects(cls, request: HttpRequest) -> bool:
        """A translated page that follows the chosen language (resolved once, and only when
        a redirect is otherwise due)."""
        if request.path.startswith(("/api/", "/static/", "/healthz")):
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        public_visit = not request.user.is_authenticated and match.view_name in cls.PUBLIC_LAYOUT
        return not public_visit


class TwoFactorEnforcementMiddleware:
    """When 2FA is required, roles that touch case data see only enrolment until enrolled."""

    ALLOWED = {
        "accounts:two_factor_setup",
        "accounts:logout",
        "accounts:login",
        "accounts:login_verify",
        "set_language",
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            settings.RUTA_REQUIRE_2FA
            and user.is_authenticated
            and user.role in TWO_FACTOR_ROLES
            and not user.is_verified()
            and not self._allowed(request)
        ):
            if user.has_two_factor:
                # Enrolled but this session never passed the second step: start again.
                logout(request)
                return _redirect(request, reverse("accounts:login"))
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"message": _("Two-factor authentication is required for this account.")},
                    status=403,
                )
            return _redirect(request, reverse("accounts:two_factor_setup"))
        return self.get_response(request)

    def _allowed(self, request: HttpRequest) -> bool:
        if request.path.startswith(("/static/", "/healthz")):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 page reveals nothing
        return match.view_name in self.ALLOWED
