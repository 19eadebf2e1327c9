"""A cell's mark and its services, as HTML built in Python: the matrix page shows 150 and
more of them, and a template included per cell cost most of the page (issue #18)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.simple_tag
def pathway_mark(cell: Any, links: bool) -> SafeString:
    """The role's mark (1 or 2, named for screen readers) and, under it, the services: as
    links to their public pages (``links``), or as plain names (in the cell's editor)."""
    if not cell.role:
        return mark_safe("")
    label = cell.role_label
    mark = format_html(
        '<span class="pw-mark pw-mark-{}" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        cell.role,
        label,
        cell.mark,
        label,
    )
    if not cell.services:
        return mark
    if links:
        items = format_html_join(
            "",
            "<li>{}</li>",
            (
                (
                    format_html('<a href="{}">{}</a>', service.url, service.name)
                    if service.url
                    else service.name,
                )
                for service in cell.services
            ),
        )
        return format_html('{}\n<ul class="pw-services">{}</ul>', mark, items)
    last = len(cell.services) - 1
    names = format_html_join(
        "",
        "<span>{}{}</span>",
        (
            (
                service.name,
                mark_safe("" if index == last else '<span class="visually-hidden">, </span>'),
            )
            for index, service in enumerate(cell.services)
        ),
    )
    return format_html('{}\n<span class="pw-services">{}</span>', mark, names)
