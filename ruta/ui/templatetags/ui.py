"""Template tags of the shared partials."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from ruta.ui.forms import error_summary
from ruta.ui.icons import icon

register = template.Library()


@register.simple_tag
def summary_items(errors: Any, form: Any) -> list[dict[str, str]]:
    """The items of ``ui/_error_summary.html``: the list the view made with
    ``error_summary`` (it may add formsets and other forms), else the form's own errors."""
    if errors and isinstance(errors, list):
        return errors
    if isinstance(form, forms.BaseForm) and form.is_bound:
        return error_summary(form)
    return []


@register.simple_tag(name="icon")
def icon_tag(name: str, size: str = "1.1em") -> SafeString:
    """``{% icon "alert" %}``: one of Ruta's own icons (``ruta.ui.icons``), decorative."""
    return icon(name, size)
