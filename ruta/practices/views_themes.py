"""The themes taxonomy, edited by practice-hub managers (coordinators, admins)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ruta.lib.permissions import Cap, capability_required
from ruta.practices import actions
from ruta.practices.forms import ThemeForm
from ruta.practices.models import Theme


@capability_required(Cap.MANAGE_PRACTICE_HUB)
@require_http_methods(["GET", "POST"])
def themes_view(request: AuthenticatedRequest) -> HttpResponse:
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.save_theme(request.user, None, form.cleaned_data)
        messages.success(request, _("The theme was added."))
        return redirect("practices:themes")
    themes = Theme.objects.order_by("order", "code")
    status = 400 if form.errors else 200
    return render(request, "practices/themes.html", {"themes": themes, "form": form}, status=status)


@capability_required(Cap.MANAGE_PRACTICE_HUB)
@require_http_methods(["GET", "POST"])
def theme_edit_view(request: AuthenticatedRequest, code: str) -> HttpResponse:
    theme = get_object_or_404(Theme, code=code)
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        actions.save_theme(request.user, theme, form.cleaned_data)
        messages.success(request, _("The theme was saved."))
        return redirect("practices:themes")
    status = 400 if form.errors else 200
    return render(
        request, "practices/theme_form.html", {"theme": theme, "form": form}, status=status
    )
