"""The R4V 5W monthly report, built from the reach model (no second data entry).

One row per organization, admin1, admin2, sector and population type of the month, with
total monthly and new beneficiaries and their sex/age breakdown, the LGBTIQ+ and
disability counts and the share that could not be de-duplicated. The second row holds
the HXL hashtags, so the file reads in libhxl and the R4V tools. No personal data: only
counts. Every text cell passes through ``ruta.lib.sheets`` (no formula survives).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from ruta.activities.models import Sector
from ruta.agencies.models import Organization
from ruta.lib.sheets import safe_row, workbook_bytes
from ruta.measure import facts
from ruta.measure.reach import Figure
from ruta.measure.registry import SexAge
from ruta.places.models import AdminArea

# R4V's indicator for the people an MHPSS or protection activity reaches, per sector.
INDICATORS = {
    Sector.PROTECTION_GBV: "GBV: people reached with GBV prevention and response services",
    Sector.PROTECTION: "Protection: people reached with protection services",
    Sector.CHILD_PROTECTION: "Child protection: children and caregivers reached",
    Sector.HEALTH_MHPSS: "Health: people reached with mental health and psychosocial support",
    Sector.INTEGRATION: "Integration: people reached with integration activities",
    Sector.EDUCATION: "Education: people reached with education activities",
}

GROUP_TAGS = {
    SexAge.GIRL: "+f+children",
    SexAge.BOY: "+m+children",
    SexAge.WOMAN: "+f+adults",
    SexAge.MAN: "+m+adults",
    SexAge.OTHER: "+other",
}


@dataclass(frozen=True)
class Column:
    header: str
    tag: str


def columns() -> list[Column]:
    cols = [
        Column(_("Appealing organization"), "#org+prog"),
        Column(_("Implementing organization"), "#org+impl"),
        Column(_("Month"), "#date+month"),
        Column(_("Country"), "#country+code"),
        Column(_("Admin 1 code"), "#adm1+code"),
        Column(_("Admin 1"), "#adm1+name"),
        Column(_("Admin 2 code"), "#adm2+code"),
        Column(_("Sector"), "#sector"),
        Column(_("Indicator"), "#indicator"),
        Column(_("Population type"), "#population+type"),
        Column(_("CVA"), "#indicator+cva"),
        Column(_("Total monthly beneficiaries"), "#reached+total"),
        Column(_("New beneficiaries"), "#reached+new"),
    ]
    labels = {
        SexAge.GIRL: _("girls"),
        SexAge.BOY: _("boys"),
        SexAge.WOMAN: _("women"),
        SexAge.MAN: _("men"),
        SexAge.OTHER: _("other"),
    }
    for group in SexAge.ALL:
        cols.append(
            Column(
                _("Monthly: %(group)s") % {"group": labels[group]}, "#reached" + GROUP_TAGS[group]
            )
        )
    for group in SexAge.ALL:
        cols.append(
            Column(
                _("New: %(group)s") % {"group": labels[group]},
                "#reached+new" + GROUP_TAGS[group],
            )
        )
    cols += [
        Column(_("LGBTIQ+"), "#reached+lgbtiq"),
        Column(_("With a disability"), "#reached+disabled"),
        Column(_("Not de-duplicated (%)"), "#indicator+pct+nodedup"),
    ]
    return cols


def figures_for(month: dt.date, organization_ids: frozenset[int] | None) -> list[Figure]:
    return facts.figures(month, month, organization_ids)


def table(month: dt.date, organization_ids: frozenset[int] | None) -> list[list[Any]]:
    """The report's data rows (no header)."""
    return rows_for(figures_for(month, organization_ids))


def rows_for(
    found: list[Figure],
    organizations: dict[int, Organization] | None = None,
    areas: dict[str, AdminArea] | None = None,
) -> list[list[Any]]:
    """One data row per figure, in the same order. ``organizations`` and ``areas`` (by
    pk and by code), when the caller has read them already, hold at least the figures'."""
    if organizations is None:
        organizations = Organization.objects.in_bulk({f.cell.organization_id for f in found})
    if areas is None:
        areas = AdminArea.objects.in_bulk({f.cell.admin1 for f in found}, field_name="code")
    result: list[list[Any]] = []
    for figure in found:
        cell = figure.cell
        org = organizations[cell.organization_id]
        label = org.acronym or org.name
        area = areas.get(cell.admin1)
        result.append(
            [
                label,
                label,
                cell.month.strftime("%Y-%m"),
                area.country if area else (cell.admin1[:2] if cell.admin1 else ""),
                cell.admin1,
                area.name if area else "",
                cell.admin2,
                cell.sector,
                INDICATORS.get(cell.sector, cell.sector),  # type: ignore[call-overload]
                cell.population_type,
                "no",
                figure.total,
                figure.new,
                *(figure.total_by_group[group] for group in SexAge.ALL),
                *(figure.new_by_group[group] for group in SexAge.ALL),
                figure.lgbtiq,
                figure.disability,
                figure.not_deduplicated_pct,
            ]
        )
    return result


def as_csv(
    month: dt.date, organization_ids: frozenset[int] | None, rows: list[list[Any]] | None = None
) -> bytes:
    """The CSV of ``rows`` (by default the live rows of the month)."""
    cols = columns()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(c.header for c in cols))
    writer.writerow(safe_row(c.tag for c in cols))
    for row in table(month, organization_ids) if rows is None else rows:
        writer.writerow(safe_row(row))
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(
    month: dt.date, organization_ids: frozenset[int] | None, rows: list[list[Any]] | None = None
) -> bytes:
    """The XLSX of ``rows`` (by default the live rows of the month)."""
    from openpyxl import Workbook

    cols = columns()
    book = Workbook()
    sheet: Any = book.active
    sheet.title = "5W"
    sheet.append([c.header for c in cols])
    sheet.append([c.tag for c in cols])
    for row in table(month, organization_ids) if rows is None else rows:
        sheet.append(row)
    return workbook_bytes(book)
