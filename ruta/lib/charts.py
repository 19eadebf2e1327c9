"""Small server-rendered SVG charts: no script, no third-party code, CSP intact.

Every chart is an ``<svg>`` with a ``viewBox`` (it scales to the width it is given, down
to a 375-px phone), a ``<title>`` and ``<desc>`` for assistive technology, colours from
the Okabe-Ito colour-blind-safe palette and presentation attributes only (no ``style``
attribute, which the content security policy would refuse). Every number written inside
the SVG goes through ``num()``: coordinates and labels use "." and no thousands
separator whatever the active locale, so a chart parses the same in every language.
The page shows each chart beside its data table (the table is the accessible reading).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Okabe & Ito (2008): distinguishable with every common colour-vision deficiency. Blue
# and vermillion first: both keep at least 3:1 against white (WCAG non-text contrast).
OKABE_ITO = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
INK = "#1a1a1a"
GRID = "#767676"


def num(value: float) -> str:
    """``value`` as SVG wants it: "." as decimal mark, no grouping, at most 2 decimals."""
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _open(width: int, height: int, title: str, desc: str, ident: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="100%" role="img" aria-labelledby="{escape(ident)}-t {escape(ident)}-d" '
        f'class="chart" font-family="sans-serif" font-size="12">',
        f'<title id="{escape(ident)}-t">{escape(title)}</title>',
        f'<desc id="{escape(ident)}-d">{escape(desc)}</desc>',
    ]


def ranked_bars(
    items: Sequence[tuple[str, float]],
    *,
    title: str,
    desc: str,
    ident: str,
    width: int = 320,
    colour: str = OKABE_ITO[0],
) -> SafeString:
    """Horizontal bars, largest first, each labelled above its bar with its value at the
    end: long names fit on a phone because the label has the chart's whole width."""
    ranked = sorted(items, key=lambda item: (-item[1], item[0]))
    row, bar = 34, 14
    top = max((value for _label, value in ranked), default=0) or 1
    room = width - 56  # the value is written after the bar
    height = max(row * len(ranked), row)
    parts = _open(width, height, title, desc, ident)
    for index, (label, value) in enumerate(ranked):
        y = index * row
        length = room * value / top
        parts.append(f'<text x="0" y="{num(y + 12)}" fill="{INK}">{escape(label)}</text>')
        parts.append(
            f'<rect x="0" y="{num(y + 16)}" width="{num(length)}" height="{num(bar)}" '
            f'fill="{colour}"/>'
        )
        parts.append(
            f'<text x="{num(length + 4)}" y="{num(y + 27)}" fill="{INK}">{num(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def grouped_columns(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    ident: str,
    width: int = 320,
    height: int = 200,
) -> SafeString:
    """Vertical columns per label (a month), one per series side by side, with a legend,
    a zero line and the largest value marked on the axis."""
    legend, bottom, left = 18 * len(series), 28, 4
    plot_h = height - legend - bottom
    top = max((v for s in series for v in s.values), default=0) or 1
    slot = (width - left) / max(len(labels), 1)
    gap = slot * 0.2
    col = (slot - gap) / max(len(series), 1)
    parts = _open(width, height, title, desc, ident)
    for index, one in enumerate(series):
        colour = OKABE_ITO[index % len(OKABE_ITO)]
        y = index * 18
        parts.append(f'<rect x="0" y="{num(y + 2)}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="18" y="{num(y + 12)}" fill="{INK}">{escape(one.name)}</text>')
    base = legend + plot_h
    parts.append(
        f'<line x1="{num(left)}" y1="{num(base)}" x2="{num(width)}" y2="{num(base)}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    parts.append(
        f'<text x="{num(width)}" y="{num(legend + 10)}" text-anchor="end" fill="{INK}">'
        f"{num(top)}</text>"
    )
    step = max(1, -(-len(labels) // 6))  # at most six labels under the axis
    for i, label in enumerate(labels):
        x0 = left + i * slot + gap / 2
        for index, one in enumerate(series):
            value = one.values[i] if i < len(one.values) else 0
            h = plot_h * value / top
            parts.append(
                f'<rect x="{num(x0 + index * col)}" y="{num(base - h)}" width="{num(col)}" '
                f'height="{num(h)}" fill="{OKABE_ITO[index % len(OKABE_ITO)]}">'
                f"<title>{escape(label)} · {escape(one.name)}: {num(value)}</title></rect>"
            )
        if i % step == 0:
            parts.append(
                f'<text x="{num(x0)}" y="{num(base + 16)}" fill="{INK}">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
