"""Reports on the directory: coverage gaps (logged in) and the HXL/3W export (public data).

Neither holds personal data. The coverage table counts active, accepting services; the
3W export lists what the person may see (``access.visible_services``): published services
for everyone, plus their own organization's drafts when logged in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

import csv
import io
import uuid
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ruta.directory import hxl_export
from ruta.directory.access import visible_services
from ruta.directory.coverage import (
    CoverageCube,
    CoverageQuery,
    CoverageTable,
    build_coverage,
    build_cube,
    cube_headers,
    cube_rows,
    export_headers,
    export_rows,
    heat_ranges,
)
from ruta.directory.forms_public import FinderForm
from ruta.directory.models import TaxonomyTerm
from ruta.directory.search import find_services
from ruta.lib.geo import country_name, sorted_countries
from ruta.lib.permissions import login_only, public
from ruta.lib.sheets import safe_row, workbook_bytes
from ruta.lib.text import fold
from ruta.places.models import AdminArea

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- Coverage gaps ------------------------------------------------------------------


class CoverageForm(forms.Form):
    country = forms.ChoiceField(label=gettext_lazy("Country"))
    admin1 = forms.ChoiceField(
        label=gettext_lazy("Region or province"),
        required=False,
        help_text=gettext_lazy("Choose one to see its districts or cantons."),
    )
    columns = forms.ChoiceField(
        label=gettext_lazy("Columns"),
        choices=[
            ("sector", gettext_lazy("Needs / sectors")),
            ("profile", gettext_lazy("Profiles")),
        ],
        widget=forms.RadioSelect,
    )
    sector = forms.ChoiceField(label=gettext_lazy("Only services for the need"), required=False)
    profile = forms.ChoiceField(label=gettext_lazy("Only services for"), required=False)
    show = forms.ChoiceField(
        label=gettext_lazy("View"),
        choices=[
            ("table", gettext_lazy("The whole table")),
            ("gaps", gettext_lazy("Only the gaps, as a list")),
        ],
        widget=forms.RadioSelect,
    )

    DEFAULTS = {"country": "PE", "columns": "sector", "show": "table"}

    def __init__(self, params: Any) -> None:
        data = {**self.DEFAULTS, **{key: params.get(key) for key in params if params.get(key)}}
        super().__init__(data)
        language = (get_language() or "es")[:2]
        countries = (
            AdminArea.objects.filter(level=1)
            .order_by("country")
            .values_list("country", flat=True)
            .distinct()
        )
        fields: Any = self.fields
        fields["country"].choices = sorted_countries(countries, language)
        country = str(data.get("country", "PE"))
        areas = AdminArea.objects.filter(country=country, level=1).only(
            "code", "name_es", "name_en"
        )
        regions = sorted(((a.code, a.name) for a in areas), key=lambda choice: fold(choice[1]))
        fields["admin1"].choices = [("", _("All regions")), *regions]
        terms = list(
            TaxonomyTerm.objects.filter(
                active=True, taxonomy__code__in=("sector", "population")
            ).select_related("taxonomy")
        )
        fields["sector"].choices = [("", _("Any need"))] + [
            (t.code, t.name) for t in terms if t.taxonomy.code == "sector"
        ]
        fields["profile"].choices = [("", _("Anyone"))] + [
            (t.code, t.name) for t in terms if t.taxonomy.code == "population"
        ]

    def clean_admin1(self) -> str:
        return str(self.cleaned_data.get("admin1") or "")

    def filter_labels(self) -> list[tuple[str, str]]:
        """(label, chosen value) of the sector and profile filters that are set."""
        labels = []
        for name in ("sector", "profile"):
            value = self.cleaned_data.get(name)
            if value:
                field: Any = self.fields[name]
                labels.append((str(field.label), str(dict(field.choices).get(value, value))))
        return labels

    def coverage_query(self) -> CoverageQuery:
        data = self.cleaned_data
        return CoverageQuery(
            country=data["country"],
            admin1=data.get("admin1", ""),
            columns=data["columns"],
            sector=data.get("sector", ""),
            profile=data.get("profile", ""),
        )


def _coverage_form(request: HttpRequest) -> CoverageForm:
    form = CoverageForm(request.GET)
    form.is_valid()
    return form


@login_only
@require_GET
def coverage_view(request: AuthenticatedRequest) -> HttpResponse:
    form = _coverage_form(request)
    table = build_coverage(form.coverage_query()) if form.is_valid() else None
    query = request.GET.urlencode()
    gaps_only = table is not None and form.cleaned_data.get("show") == "gaps"
    return render(
        request,
        "directory/reports/coverage.html",
        {
            "form": form,
            "table": table,
            "query": query,
            "country_label": country_name(table.query.country, (get_language() or "es")[:2])
            if table
            else "",
            "drill_base": _drill_base(request),
            "filter_labels": form.filter_labels() if table else [],
            "gaps_only": gaps_only,
            "gaps": table.gaps() if gaps_only and table is not None else [],
            "heat_legend": heat_ranges(),
            "table_query": _showing(request, "table"),
            "gaps_query": _showing(request, "gaps"),
        },
    )


def _showing(request: HttpRequest, show: str) -> str:
    """The query string with ``show`` set: the table, or only its gaps as a list."""
    params = request.GET.copy()
    params["show"] = show
    return params.urlencode()


def _drill_base(request: HttpRequest) -> str:
    """The query string without admin1, to which a row link adds its own area."""
    params = request.GET.copy()
    params.pop("admin1", None)
    return params.urlencode()


def _filename(table: CoverageTable, extension: str) -> str:
    place = table.parent.code if table.parent is not None else table.query.country
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"ruta-coverage-{place}-{table.query.columns}-{stamp}.{extension}"


def _invalid_export(request: HttpRequest) -> HttpResponse:
    """Back to the page, which shows what is wrong with the filters."""
    url = reverse("reports:coverage")
    query = request.GET.urlencode()
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


@login_only
@require_GET
def coverage_csv_view(request: AuthenticatedRequest) -> HttpResponse:
    form = _coverage_form(request)
    if not form.is_valid():
        return _invalid_export(request)
    table = build_coverage(form.coverage_query())
    header, tags = export_headers(table)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerow(tags)
    for line in export_rows(table):
        writer.writerow(hxl_export.csv_cells(line))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "csv")}"'
    return response


@login_only
@require_GET
def coverage_xlsx_view(request: AuthenticatedRequest) -> HttpResponse:
    form = _coverage_form(request)
    if not form.is_valid():
        return _invalid_export(request)
    table = build_coverage(form.coverage_query())
    response = HttpResponse(_coverage_workbook(table, form), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(table, "xlsx")}"'
    return response


def _coverage_workbook(table: CoverageTable, form: CoverageForm) -> bytes:
    """Header, hashtags, one row per area, a total row; zero cells filled and bold."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    header, tags = export_headers(table)
    workbook = Workbook()
    sheet: Any = workbook.active
    sheet.title = _("Coverage")[:31]
    sheet.append(header)
    sheet.append(tags)
    bold = Font(bold=True)
    gap_fill = PatternFill(fill_type="lightUp", fgColor="A4161A", bgColor="FDE8E8")
    gap_font = Font(bold=True, color="A4161A")
    for cell in sheet[1]:
        cell.font = bold
    first_count = len(header) - len(table.columns) - 1  # columns before the counts
    for line in export_rows(table):
        sheet.append(safe_row(line))
        for cell in sheet[sheet.max_row][first_count : first_count + len(table.columns)]:
            if cell.value == 0:
                cell.fill = gap_fill
                cell.font = gap_font
    total_row = [_("Total")] + [""] * (first_count - 1) + table.column_totals + [table.total]
    sheet.append(total_row)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    sheet.freeze_panes = sheet.cell(row=3, column=first_count + 1)
    for index in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 16 if index > 1 else 10

    _about_sheet(
        workbook,
        form,
        ("country", "admin1", "columns", "sector", "profile"),
        _(
            "Active services accepting new people, by area; cells with no service are "
            "filled and bold. Totals count each service once."
        ),
    )
    return workbook_bytes(workbook)


def _about_sheet(workbook: Any, form: CoverageForm, fields: tuple[str, ...], text: str) -> None:
    """A second sheet: what the numbers are, the filters chosen and when."""
    from openpyxl.styles import Font

    notes: Any = workbook.create_sheet(_("About")[:31])
    notes.append([_("Coverage gaps")])
    notes.append([text])
    for field_name in fields:
        bound = form[field_name]
        value = form.cleaned_data.get(field_name)
        label = dict(bound.field.choices).get(value, "") if value else ""  # type: ignore[attr-defined]
        notes.append([str(bound.label), str(label)])
    notes.append([_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    if not getattr(workbook, "write_only", False):
        notes["A1"].font = Font(bold=True)
        notes.column_dimensions["A"].width = 28
        notes.column_dimensions["B"].width = 40


# --- The whole cube in long format ---------------------------------------------------


class CoverageCubeForm(CoverageForm):
    """The coverage filters, plus the level of the rows for a whole country."""

    level = forms.ChoiceField(
        label=gettext_lazy("Rows"),
        choices=[("1", gettext_lazy("Regions")), ("2", gettext_lazy("Districts or cantons"))],
        required=False,
    )

    def row_level(self) -> int:
        return 2 if self.cleaned_data.get("level") == "2" else 1


def _cube_from_request(request: HttpRequest) -> tuple[CoverageCubeForm, CoverageCube | None]:
    form = CoverageCubeForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, build_cube(form.coverage_query(), form.row_level())


def _cube_filename(cube: CoverageCube, extension: str) -> str:
    place = cube.parent.code if cube.parent is not None else cube.query.country
    stamp = timezone.localdate().strftime("%Y%m%d")
    return f"ruta-coverage-long-{place}-adm{cube.level}-{stamp}.{extension}"


@login_only
@require_GET
def coverage_long_csv_view(request: AuthenticatedRequest) -> HttpResponse | StreamingHttpResponse:
    _form, cube = _cube_from_request(request)
    if cube is None:
        return _invalid_export(request)
    language = (get_language() or "es")[:2]
    header, tags = cube_headers(cube)
    writer = csv.writer(_Echo())

    def lines() -> Any:
        yield writer.writerow(header)
        yield writer.writerow(tags)
        for line in cube_rows(cube, language):
            yield writer.writerow(hxl_export.csv_cells(line))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_cube_filename(cube, "csv")}"'
    return response


@login_only
@require_GET
def coverage_long_xlsx_view(request: AuthenticatedRequest) -> HttpResponse:
    form, cube = _cube_from_request(request)
    if cube is None:
        return _invalid_export(request)
    from openpyxl import Workbook

    header, tags = cube_headers(cube)
    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet(title=_("Coverage")[:31])
    sheet.freeze_panes = "A3"
    sheet.append(header)
    sheet.append(tags)
    for line in cube_rows(cube, (get_language() or "es")[:2]):
        sheet.append(safe_row(line))
    _about_sheet(
        workbook,
        form,
        ("country", "admin1", "level", "sector", "profile"),
        _(
            "One row per area, need and profile: the active services accepting new people "
            "(as in the coverage table) and all active services. A service with several "
            "needs or profiles counts in each of their rows, so do not add rows up."
        ),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_cube_filename(cube, "xlsx")}"'
    return response


# --- HXL / 3W export ----------------------------------------------------------------


def _export_services(request: HttpRequest) -> Any:
    """What the person may see, filtered as the finder filters (same query string)."""
    form = FinderForm(request.GET)
    form.is_valid()
    query = form.finder_query()
    organization = request.GET.get("organization", "")
    try:
        query.organization = str(uuid.UUID(organization)) if organization else ""
    except ValueError:
        query.organization = ""
    return find_services(visible_services(request.user), query)


def _hxl_filename(extension: str) -> str:
    return f"ruta-3w-{timezone.localdate():%Y%m%d}.{extension}"


class _Echo:
    def write(self, value: str) -> str:
        return value


@public
@require_GET
def hxl_csv_view(request: HttpRequest) -> StreamingHttpResponse:
    services = _export_services(request)
    language = (get_language() or "es")[:2]
    header = hxl_export.headers()
    writer = csv.writer(_Echo())

    def lines() -> Any:
        yield writer.writerow(header)
        yield writer.writerow(hxl_export.HASHTAGS)
        for row in hxl_export.rows(services, language):
            yield writer.writerow(hxl_export.csv_cells(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_hxl_filename("csv")}"'
    return response


@public
@require_GET
def hxl_xlsx_view(request: HttpRequest) -> HttpResponse:
    services = _export_services(request)
    language = (get_language() or "es")[:2]
    content = hxl_export.xlsx_bytes(hxl_export.rows(services, language), title="3W")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_hxl_filename("xlsx")}"'
    return response
