"""Ruta's own icon set: small line icons drawn for Ruta on a 24-unit grid (no third-party
artwork, so no licence to carry). Each is inline SVG in ``currentColor``: it takes the text
colour of where it sits, needs no request, and passes the content security policy.

An icon is decoration beside a word (``aria-hidden``), never the only carrier of meaning:
a badge or button always has its text. ``{% icon "alert" %}`` in a template.
"""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# Path data, stroked (no fill), 2-unit lines with round caps and joins.
ICONS: dict[str, str] = {
    "search": "M10.5 4a6.5 6.5 0 1 1 0 13a6.5 6.5 0 1 1 0-13z M15.2 15.2L20 20",
    "phone": "M6 3h3l1.5 4.5l-2 1.5a11 11 0 0 0 6.5 6.5l1.5-2L21 15v3a2 2 0 0 1-2 2A16 16 0 0 1 4 5a2 2 0 0 1 2-2z",
    "place": "M12 21s-6.5-6-6.5-11a6.5 6.5 0 0 1 13 0c0 5-6.5 11-6.5 11z M12 7.5a2.5 2.5 0 1 1 0 5a2.5 2.5 0 1 1 0-5z",
    "alert": "M12 3L2.5 20h19z M12 9.5v5 M12 17.2v0.1",
    "check": "M4.5 12.5l5 5L19.5 7",
    "close": "M6 6l12 12 M18 6L6 18",
    "calendar": "M4 6h16v14H4z M4 10h16 M8.5 3.5v4 M15.5 3.5v4",
    "download": "M12 4v11 M7.5 11l4.5 4.5l4.5-4.5 M5 20h14",
    "person": "M12 4a4 4 0 1 1 0 8a4 4 0 1 1 0-8z M4.5 20.5a7.5 7.5 0 0 1 15 0",
    "info": "M12 3a9 9 0 1 1 0 18a9 9 0 1 1 0-18z M12 11v6 M12 7.3v0.1",
    "lock": "M6 11h12v9H6z M8.5 11V8a3.5 3.5 0 0 1 7 0v3",
    "arrow": "M5 12h14 M13.5 6.5L19 12l-5.5 5.5",
}


def icon(name: str, size: str = "1.1em") -> SafeString:
    """The icon ``name`` as inline SVG; an unknown name is a programming error."""
    path = ICONS[name]
    return format_html(
        '<svg class="icon icon-{}" width="{}" height="{}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" '
        'stroke-linejoin="round" aria-hidden="true" focusable="false"><path d="{}"/></svg>',
        name,
        size,
        size,
        mark_safe(path),
    )
