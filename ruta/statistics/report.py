"""Suppressed tables as shown and published: built from ``tables.compute``, hidden by
``suppression.suppress``, audited before anything leaves this module (a failing audit
raises, so nothing is shown or published), and rendered to XLSX and PDF.

A shown table is JSON (kept as is in a ``PublishedReport``): its code, its row and column
codes, and for every cell either a number or a mark (``"<t"`` for a small count,
``"x"`` for a cell hidden to protect another). A hidden value never enters it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ruta.lib.sheets import workbook_bytes
from ruta.statistics import suppression, tables
from ruta.statistics.models import PublishedReport, SharingProtocol
from ruta.statistics.suppression import Grid

HIDDEN = "x"


class AuditFailed(Exception):
    """The suppressed tables would let a hidden value be worked out: nothing is shown."""


def _grids(raw: list[tables.RawTable]) -> list[Grid]:
    grids = []
    for table in raw:
        grid = suppression.table(table.counts)
        last_row, last_column = grid.rows - 1, grid.columns - 1
        if table.code != "referrals":  # every incident table shares the incidents' total
            grid.keys[(last_row, last_column)] = "incidents"
        if table.code in ("type_by_sex", "age_by_sex"):  # ... these two the totals by sex
            for j, (code, _label) in enumerate(table.columns):
                grid.keys[(last_row, j)] = f"sex:{code}"
        if table.shared_columns:  # ... and the monthly tables each month's total
            for j, (code, _label) in enumerate(table.columns):
                grid.keys[(last_row, j)] = f"month:{code}"
        grids.append(grid)
    return grids


def _shown(table: tables.RawTable, grid: Grid, threshold: int) -> dict[str, Any]:
    def cell(i: int, j: int) -> int | str:
        if (i, j) in grid.primary:
            return f"<{threshold}"
        if (i, j) in grid.hidden:
            return HIDDEN
        return grid.values[i][j]

    return {
        "code": table.code,
        "rows": [code for code, _label in table.rows],
        "columns": [code for code, _label in table.columns],
        "cells": [[cell(i, j) for j in range(grid.columns)] for i in range(grid.rows)],
    }


def _key(raw: list[tables.RawTable], threshold: int, audience: str, period: str) -> str:
    digest = hashlib.sha256(
        json.dumps([[t.code, t.counts] for t in raw] + [threshold, audience, period]).encode()
    ).hexdigest()
    return f"statistics:suppressed:{digest}"


def suppressed(
    audience: str,
    period: tables.Period,
    protocols: list[SharingProtocol] | None = None,
) -> dict[str, Any]:
    """The shown tables of ``period`` for ``audience`` with their audit summary
    (``protocols``: the audience's active ISPs, when the caller has read them already).

    Suppression and its audit are deterministic in the counts, so their result is cached
    by a digest of the counts (never the counts themselves in the key's clear).
    """
    if protocols is None:
        protocols = tables.sharing_protocols(audience)
    raw = tables.compute(audience, period)
    threshold = tables.threshold_for(audience, protocols)
    key = _key(raw, threshold, audience, period.code)
    found: dict[str, Any] | None = cache.get(key)
    if found is not None:
        return found
    grids = _grids(raw)
    # ``suppress`` only returns once its audit proves every hidden cell safe (intervals
    # proven in an earlier round are kept: later hiding only widens them).
    result = suppression.suppress(grids, threshold)
    if not result.ok:
        raise AuditFailed
    narrowest = min((i.width for i in result.intervals), default=None)
    found = {
        "period": period.code,
        "audience": audience,
        "threshold": threshold,
        "tables": [_shown(t, g, threshold) for t, g in zip(raw, grids, strict=True)],
        "audit": {
            "hidden_cells": len(result.intervals),
            "primary_cells": sum(1 for i in result.intervals if i.primary),
            "narrowest_interval": None
            if narrowest is None or narrowest == float("inf")
            else round(narrowest, 2),
            "passed": True,
        },
    }
    cache.set(key, found, 3600)
    return found


def verify(shown: list[dict[str, Any]], threshold: int) -> bool:
    """Check that shown tables carry no value below the threshold (a second, cheap gate)."""
    for table in shown:
        for row in table["cells"]:
            for value in row:
                if isinstance(value, int) and 0 < value < threshold:
                    return False
    return True


def audit_shown(raw: list[tables.RawTable], shown: list[dict[str, Any]], threshold: int) -> None:
    """The publishing gate: rebuild the tables from the counts and the marks of what is
    about to be published, check every shown number against its count, and audit every
    hidden cell afresh (all intervals solved again). Raises ``AuditFailed``."""
    grids = _grids(raw)
    for grid, table in zip(grids, shown, strict=True):
        for i, row in enumerate(table["cells"]):
            for j, value in enumerate(row):
                if isinstance(value, int):
                    if value != grid.values[i][j]:
                        raise AuditFailed
                    continue
                grid.hidden.add((i, j))
                if value != HIDDEN:
                    grid.primary.add((i, j))
    if grid_primary_missing(grids, threshold) or not suppression.audit(grids, threshold).ok:
        raise AuditFailed


def grid_primary_missing(grids: list[Grid], threshold: int) -> bool:
    return any(suppression.primary_cells(g.values, threshold) - g.primary for g in grids)


def publish(user: Any, audience: str, period: tables.Period) -> PublishedReport:
    from ruta.audit.actions import record

    data = suppressed(audience, period)
    if not verify(data["tables"], data["threshold"]):
        raise AuditFailed
    audit_shown(tables.compute(audience, period), data["tables"], data["threshold"])
    with transaction.atomic():
        report = PublishedReport.objects.create(
            audience=audience,
            period=period.code,
            threshold=data["threshold"],
            tables=data["tables"],
            audit_summary=data["audit"],
            published_by=user,
            published_at=timezone.now(),
        )
        record(
            "statistics.report_published",
            actor=user,
            obj=report,
            details={"audience": audience, "period": period.code, "threshold": data["threshold"]},
        )
    return report


# --- Labels and display ------------------------------------------------------------------
def labelled(data_tables: list[dict[str, Any]], period_code: str) -> list[dict[str, Any]]:
    """Shown tables with their translated titles and labels, for templates and files."""
    period = tables.parse_period(period_code)
    months = [(m.strftime("%Y-%m"), m.strftime("%Y-%m")) for m in (period.months if period else [])]
    meta = {
        "type_by_sex": (_("Incidents by type of GBV and survivor's sex"), _("Type of GBV")),
        "age_by_sex": (_("Incidents by survivor's age band and sex"), _("Age band")),
        "perpetrator": (_("Incidents by relationship of the perpetrator"), _("Relationship")),
        "setting": (_("Incidents by place"), _("Place")),
        "delay": (_("Time from incident to report"), _("Time")),
        "referrals": (
            _("Services referred, by answer (the total is the services referred)"),
            _("Month"),
        ),
    }
    found = []
    for table in data_tables:
        vocabulary = {**dict(months), **tables.vocabulary(table["code"])}
        title, header = meta.get(table["code"], (table["code"], ""))
        columns = [str(vocabulary.get(c, c)) for c in table["columns"]] + [_("Total")]
        rows = [
            (str(vocabulary.get(code, code)), cells)
            for code, cells in zip([*table["rows"], "__total__"], table["cells"], strict=True)
        ]
        rows[-1] = (_("Total"), rows[-1][1])
        found.append(
            {
                "code": table["code"],
                "title": title,
                "header": header,
                "columns": columns,
                "rows": rows,
            }
        )
    return found


def as_xlsx(report: PublishedReport) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = report.period
    sheet.append([_("GBV statistics"), report.period, str(report.get_audience_display())])
    sheet.append(
        [_("Published on"), timezone.localtime(report.published_at).strftime("%Y-%m-%d %H:%M")]
    )
    sheet.append(
        [
            _(
                "Counts from 1 to %(n)s are shown as “<%(t)s”; “x” hides a cell that would reveal one."
            )
            % {"n": report.threshold - 1, "t": report.threshold}
        ]
    )
    for table in labelled(report.tables, report.period):
        sheet.append([])
        sheet.append([table["title"]])
        sheet.append([table["header"], *table["columns"]])
        for label, cells in table["rows"]:
            sheet.append([label, *cells])
    return workbook_bytes(book)


PRINT_CSS = """
@page { size: A4; margin: 16mm 14mm; @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; } }
body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; color: #1b1b1b; }
h1 { font-size: 16pt; color: #0b5563; margin: 0 0 4pt; }
h2 { font-size: 11.5pt; color: #0b5563; margin: 14pt 0 4pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #bbb; padding: 2pt 4pt; text-align: right; }
th[scope=row], thead th:first-child { text-align: left; }
th { background: #eef4f5; }
"""


def as_pdf(report: PublishedReport) -> bytes:
    import weasyprint
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "statistics/report_print.html",
        {
            "report": report,
            "tables": labelled(report.tables, report.period),
            "LANGUAGE_CODE": (get_language() or "es")[:2],
        },
    )
    no_fetch = URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(string=html, url_fetcher=no_fetch)
    result: bytes = document.write_pdf(stylesheets=[weasyprint.CSS(string=PRINT_CSS)])
    return result
