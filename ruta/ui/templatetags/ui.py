"""Template tags of the shared partials."""

from __future__ import annotations

from typing import Any

from django import forms, template

from ruta.ui.forms import error_summary

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
