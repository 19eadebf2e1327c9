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

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

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
    a zero line and the largest value marked by a dashed line, its figure in a band of
    its own above the columns (inside the plot, a tall last column hid it)."""
    legend, bottom, left, band = 18 * len(series), 28, 4, 16
    plot_h = height - legend - band - bottom
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
    base = legend + band + plot_h
    parts.append(
        f'<line x1="{num(left)}" y1="{num(base)}" x2="{num(width)}" y2="{num(base)}" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    peak = legend + band  # the top of the largest column
    parts.append(
        f'<line x1="{num(left)}" y1="{num(peak)}" x2="{num(width)}" y2="{num(peak)}" '
        f'stroke="{GRID}" stroke-width="1" stroke-dasharray="3 3"/>'
        f'<text x="{num(width)}" y="{num(peak - 4)}" text-anchor="end" fill="{INK}">'
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


# ColorBrewer "Blues", 5 classes (Brewer & Harrower): a single-hue sequential scheme that
# stays ordered for every common colour-vision deficiency and in greyscale. Darker is
# more; every area is outlined in INK, so the lightest class stands out from the page.
SEQUENTIAL = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#d9d9d9"  # under a hatch of GRID lines: "no data" is not a colour alone

LonLat = tuple[float, float]


@dataclass(frozen=True)
class MapArea:
    """An area to draw: its name, its figure (None: no data) and its outline as GeoJSON
    MultiPolygon coordinates (polygons of rings of (longitude, latitude))."""

    name: str
    value: float | None
    polygons: Sequence[Sequence[Sequence[LonLat]]]


def class_bounds(values: Sequence[float], classes: int = len(SEQUENTIAL)) -> list[int]:
    """The upper bound of each class: equal steps of whole numbers from 0 to the largest
    value (so a count of 0 falls in the first class and the largest in the last)."""
    top = max(values, default=0)
    return [math.ceil(top * k / classes) for k in range(1, classes + 1)]


def class_of(value: float, bounds: Sequence[int]) -> int:
    """The index of the class ``value`` falls in (its first upper bound not below it)."""
    return next((i for i, bound in enumerate(bounds) if value <= bound), len(bounds) - 1)


def choropleth(
    areas: Sequence[MapArea],
    *,
    title: str,
    desc: str,
    ident: str,
    width: int = 320,
) -> SafeString:
    """A map of ``areas`` shaded in five classes of their figure, with a legend that says
    each class's range in words and "No data" for areas without a figure (hatched).

    Equirectangular projection scaled by the cosine of the mean latitude: fair for the
    few degrees of a country's regions, and no projection library. North is up."""
    points = [p for area in areas for poly in area.polygons for ring in poly for p in ring]
    if not points:
        return mark_safe("")
    lons = [lon for lon, _lat in points]
    lats = [lat for _lon, lat in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    squeeze = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * squeeze, 1e-6)
    span_y = max(north - south, 1e-6)
    pad = 4
    scale = (width - 2 * pad) / span_x
    scale = min(scale, (2 * width - 2 * pad) / span_y)  # never taller than twice its width
    map_h = span_y * scale + 2 * pad

    def xy(point: LonLat) -> str:
        x = pad + (point[0] - west) * squeeze * scale
        y = pad + (north - point[1]) * scale
        return f"{num(x)} {num(y)}"

    values = [area.value for area in areas if area.value is not None]
    bounds = class_bounds(values)
    legend: list[tuple[str, str]] = []  # (fill, words)
    low = 0
    for index, bound in enumerate(bounds):
        if values and bound >= low:  # an empty range (few distinct counts) is not listed
            legend.append(
                (
                    SEQUENTIAL[index],
                    num(low)
                    if low == bound
                    else _("%(low)s to %(high)s") % {"low": num(low), "high": num(bound)},
                )
            )
        low = bound + 1
    hatch = f"{escape(ident)}-nodata"
    if len(values) < len(areas):
        legend.append((f"url(#{hatch})", _("No data")))
    row = 20
    height = map_h + 8 + row * len(legend)
    parts = _open(width, math.ceil(height), title, desc, ident)
    parts.append(
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{NO_DATA}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{GRID}" stroke-width="2"/></pattern></defs>'
    )
    for area in areas:
        fill = f"url(#{hatch})" if area.value is None else SEQUENTIAL[class_of(area.value, bounds)]
        path = " ".join(
            "M" + " L".join(xy(p) for p in ring[:-1]) + " Z"
            for poly in area.polygons
            for ring in poly
            if len(ring) >= 4
        )
        figure = _("no data") if area.value is None else num(area.value)
        parts.append(
            f'<path d="{path}" fill="{fill}" fill-rule="evenodd" stroke="{INK}" '
            f'stroke-width="0.5" stroke-linejoin="round">'
            f"<title>{escape(area.name)}: {escape(figure)}</title></path>"
        )
    for index, (fill, words) in enumerate(legend):
        y = map_h + 8 + index * row
        parts.append(
            f'<rect x="0" y="{num(y)}" width="14" height="14" fill="{fill}" '
            f'stroke="{INK}" stroke-width="0.5"/>'
        )
        parts.append(f'<text x="20" y="{num(y + 11)}" fill="{INK}">{escape(words)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped
