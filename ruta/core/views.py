"""Dashboard, health check, language switch and the published permission matrix."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest
    from ruta.accounts.models import User

from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language

from ruta.accounts import actions as account_actions
from ruta.core.dashboards import dashboard_for
from ruta.directory.forms_public import RegionForm
from ruta.directory.models import TaxonomyTerm
from ruta.lib.headers import allow_geolocation
from ruta.lib.permissions import (
    MATRIX,
    Cap,
    capability_required,
    login_only,
    matrix_roles,
    matrix_rows,
    public,
)
from ruta.measure.public import is_public
from ruta.ui import styleguide
from ruta.ui.icons import ICONS

# The needs offered as one-tap searches on the public home, most asked for first.
HOME_NEEDS = (
    "psychosocial_support",
    "gbv_case_management",
    "mental_health",
    "medical",
    "legal",
    "shelter",
    "documentation",
    "food",
)


@capability_required(Cap.VIEW_DASHBOARD)
def _role_home(request: AuthenticatedRequest) -> HttpResponse:
    return render(request, "core/dashboard.html", dashboard_for(request.user))


@public
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """The bare domain: signed-in staff get their role's home, everybody else the public
    home for people looking for help (search, near me, quick exit, a discreet staff link).

    One address for both, so bookmarks, the login redirect and "Back to my workspace" keep
    working; the public page reads nothing personal and sets no cookie of its own.
    """
    if request.user.is_authenticated:
        return _role_home(request)  # type: ignore[arg-type]
    needs = TaxonomyTerm.objects.filter(
        taxonomy__code="sector", code__in=HOME_NEEDS, active=True
    ).only("code", "name_es", "name_en")
    order = {code: index for index, code in enumerate(HOME_NEEDS)}
    context = {
        "region_form": RegionForm(),
        "needs": sorted(needs, key=lambda term: order[term.code]),
        "public_figures": is_public(),
    }
    return allow_geolocation(render(request, "core/public_home.html", context))


@login_only
def permissions_view(request: AuthenticatedRequest) -> HttpResponse:
    """Who may do what: the matrix itself, so nobody has to guess."""
    user: User = request.user
    mine = sorted(cap.value for cap in Cap if user.role in MATRIX[cap])
    return render(
        request,
        "core/permissions.html",
        {"roles": matrix_roles(), "rows": matrix_rows(), "mine": mine},
    )


@login_only
@require_GET
def style_view(request: AuthenticatedRequest) -> HttpResponse:
    """The design system on one page (/estilo/): tokens with their measured contrast, type,
    buttons, cards, badges, tables, icons and every form widget, for whoever builds a page."""
    language = translation.get_language() or "es"
    return render(
        request,
        "core/style.html",
        {
            "tokens": styleguide.TOKENS,
            "icons": sorted(ICONS),
            "form": styleguide.SampleForm(language=language),
        },
    )


@public
@require_POST
def set_language_view(request: HttpRequest) -> HttpResponse:
    """Django's switch, plus remembering the choice on the account."""
    # Django translates ``next`` by resolving it in the active language, which on this
    # unprefixed URL is Spanish: "/en/..." would not resolve and English would stick.
    # Resolve it in the language of its own prefix instead.
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    next_language = translation.get_language_from_path(urlsplit(next_url).path)
    with translation.override(next_language or settings.LANGUAGE_CODE):
        response = set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        account_actions.set_language(user, language)
    return response


@public
@never_cache
@require_GET
def healthz_view(request: HttpRequest) -> JsonResponse:
    body = {"status": "ok", "database": "ok", "version": settings.VERSION}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        body.update(status="error", database="unreachable")
        return JsonResponse(body, status=503)
    return JsonResponse(body)
