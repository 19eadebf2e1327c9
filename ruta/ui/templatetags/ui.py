"""Template tags of the shared partials."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, linebreaks
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]
from django.utils.translation import gettext

from ruta.lib.translated import Version, in_reader_language
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


@register.simple_tag(name="in_reader_language")
def in_reader_language_tag(obj: Any, field: str) -> Version:
    """``{% in_reader_language meeting "topics" as topics %}``: the reader's version of a
    field stored per language, and whether it fell back (``topics.fell_back``)."""
    return in_reader_language(obj, field)


@register.simple_tag
def not_translated(version: Any) -> SafeString:
    """The visible marker beside a text shown in another language than the page's."""
    if not (isinstance(version, Version) and version.fell_back):
        return SafeString("")
    return format_html('<span class="not-translated">{}</span>', gettext("Not translated yet"))


@register.simple_tag
def translated(
    obj: Any, field: str = "", paragraphs: bool = False, marker: bool = True
) -> SafeString:
    """A field stored per language, in the reader's language, or else in the one it has,
    in ``lang="…"`` with the marker "Not translated yet" (before a block of paragraphs,
    after a line). ``obj`` is a model and ``field`` the field's name, or a ``Version``.
    Inside a link, ``marker=False`` leaves the marker to ``{% not_translated %}`` after it."""
    version = obj if isinstance(obj, Version) else in_reader_language(obj, field)
    if paragraphs:
        body = linebreaks(version.text, autoescape=True)
        if not version.fell_back:
            return mark_safe(body)  # linebreaks escaped the text
        return format_html(
            '<p>{}</p><div lang="{}">{}</div>',
            not_translated(version),
            version.language,
            mark_safe(body),  # linebreaks escaped the text
        )
    if not version.fell_back:
        return conditional_escape(version.text)
    if not marker:
        return format_html('<span lang="{}">{}</span>', version.language, version.text)
    return format_html(
        '<span lang="{}">{}</span> {}', version.language, version.text, not_translated(version)
    )


@register.simple_tag
def table_rows(rows: Any) -> SafeString:
    """``{% table_rows rows %}``: ``<tr><td>…</td></tr>`` for each row of plain values,
    each value shown as ``{{ value }}`` shows it (localized, escaped). A report page of a
    hundred rows by forty columns is 4,000 template nodes; this writes the same HTML in
    one pass. A report repeats few values (small counts, an organization's name, a
    sector), so each distinct value is localized and escaped once per call: localizing a
    number costs more than the rest of its cell."""
    cells = []
    written: dict[tuple[type, Any], str] = {}  # by type too: True == 1 == 1.0 as keys
    for row in rows:
        cells.append("<tr>")
        for value in row:
            try:
                key = (type(value), value)
                cell = written.get(key)
            except TypeError:  # unhashable: written each time
                key, cell = None, None
            if cell is None:
                cell = f"<td>{conditional_escape(localize(template_localtime(value)))}</td>"
                if key is not None:
                    written[key] = cell
            cells.append(cell)
        cells.append("</tr>")
    return mark_safe("".join(cells))
