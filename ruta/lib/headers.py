"""Headers every response gets: what browsers may cache, and which device features pages
may ask for."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# No page uses a camera, a microphone, payments or sensors; geolocation only where the
# finder offers "use my location" (``allow_geolocation``).
_DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "publickey-credentials-get",
    "usb",
)
PERMISSIONS_POLICY = ", ".join(f"{name}=()" for name in ("geolocation", *_DENIED_FEATURES))
GEOLOCATION_POLICY = ", ".join(["geolocation=(self)", *(f"{n}=()" for n in _DENIED_FEATURES)])


def allow_geolocation(response: HttpResponse) -> HttpResponse:
    """Let this page (and only it) ask the browser for the visitor's location."""
    response["Permissions-Policy"] = GEOLOCATION_POLICY
    return response


class PrivateResponseMiddleware:
    """A response to a signed-in person or an API token may hold case data: no browser,
    proxy or back button keeps a copy (``Cache-Control: no-store``). Anonymous public pages
    keep whatever caching their view chose."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or "HTTP_AUTHORIZATION" in request.META:
            patch_cache_control(response, private=True, no_store=True)
            response.headers.pop("Expires", None)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
