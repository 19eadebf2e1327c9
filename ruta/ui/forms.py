"""Form helpers shared by every app's pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.text import capfirst


def error_summary(form: forms.BaseForm, formsets: Iterable[Any] = ()) -> list[dict[str, str]]:
    """Every error of a page as ``{"anchor", "text"}``, fields first, then each row."""
    items: list[dict[str, str]] = []

    def collect(some_form: forms.BaseForm, prefix: str = "") -> None:
        for error in some_form.non_field_errors():
            items.append({"anchor": "", "text": f"{prefix}{error}"})
        for field in some_form:
            for error in field.errors:
                anchor = field.id_for_label or field.auto_id or ""
                items.append({"anchor": anchor, "text": f"{prefix}{field.label}: {error}"})

    collect(form)
    for formset in formsets:
        for error in formset.non_form_errors():
            items.append({"anchor": "", "text": f"{capfirst(formset.row_label)}: {error}"})
        for number, row in enumerate(formset.forms, start=1):
            if row.errors:
                collect(row, f"{capfirst(formset.row_label)} {number} — ")
    return items
