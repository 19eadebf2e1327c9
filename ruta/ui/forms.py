"""Form helpers shared by every app's pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
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


class DateInput(forms.DateInput):
    """A native date picker. It reads and writes ISO dates whatever the page's language: a
    value written the Spanish way ("07/12/2026") is one the browser's picker drops, and
    the form then says the date is missing."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(attrs=attrs, **kwargs)


class DateTimeInput(forms.DateTimeInput):
    """A native date-and-time picker (``datetime-local``), ISO to the minute."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%dT%H:%M")
        super().__init__(attrs=attrs, **kwargs)


class FilterableCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes for a long list (organizations, countries, people) instead of a Ctrl-click
    list: the list scrolls in its box and a filter field narrows it as one types, ticked
    boxes always shown (``ui/_field.html`` and ruta.js); without JavaScript every box is
    there."""


def _attributes(attrs: dict[str, Any]) -> str:
    """Django's ``attrs.html``: ``name="value"``, a bare ``name`` for True, none for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {name}" if value is True else f' {name}="{escape(str(value))}"')
    return "".join(parts)


class QuickSelect(forms.Select):
    """A ``<select>`` written in Python rather than through a template per option.

    The same markup as Django's ``Select`` (its context: name, attributes, groups, the
    chosen option; escaped alike) in a tenth of the time: a long list of choices (the
    finder's areas) rendered on every request otherwise costs milliseconds."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        lines = [
            f'<select name="{conditional_escape(widget["name"])}"{_attributes(widget["attrs"])}>'
        ]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                lines.append(f'  <optgroup label="{conditional_escape(group_name)}">')
            for option in options:
                lines.append(
                    f'  <option value="{escape(str(option["value"]))}"'
                    f"{_attributes(option['attrs'])}>{conditional_escape(option['label'])}</option>"
                )
            if group_name:
                lines.append("  </optgroup>")
        lines.append("</select>")
        return mark_safe("\n".join(lines))  # every value escaped above, as the template would
