"""A pathway's matrix as data (organizations by population profiles), and its XLSX and PDF.

The page, the spreadsheet and the printable document all read ``build_matrix``, so they
show the same thing: the cells of the pathway and, under each mark, the services the
viewer may see (published services for the public).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from ruta.accounts.models import User

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ruta.directory.access import visible_services
from ruta.directory.models import Phone, Service, ServiceStatus, Taxonomy, TaxonomyTerm
from ruta.lib.geo import country_name
from ruta.lib.sheets import workbook_bytes
from ruta.lib.translated import localized
from ruta.pathways.models import CellRole, Pathway, PathwayCell, PathwayStatus

PRINT_CSS = "ruta/pathway-print.css"


def _language() -> str:
    return (get_language() or "es")[:2]


def public_service_url(service: Service, organization_active: bool = True) -> str:
    """The public service page, when that route exists and the service is published."""
    return _ServiceUrls()(str(service.uuid), service.status, organization_active)


# A stand-in id, replaced by each service's: one reverse() per matrix, not one per service.
_PLACEHOLDER = "00000000-0000-4000-8000-000000000000"


class _ServiceUrls:
    """The public pages of services, from one ``reverse`` (per matrix)."""

    def __init__(self) -> None:
        try:
            self.pattern = reverse("finder:service_detail", kwargs={"service_uuid": _PLACEHOLDER})
        except NoReverseMatch:
            self.pattern = ""

    def __call__(self, uuid: str, status: str, organization_active: bool) -> str:
        if not self.pattern or status != ServiceStatus.ACTIVE or not organization_active:
            return ""
        return self.pattern.replace(_PLACEHOLDER, uuid)


@dataclass
class ServiceRef:
    """A service as a cell or an option shows it."""

    uuid: str
    name: str
    url: str
    status: str
    status_label: str
    phones: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, service: Service, organization_active: bool, phones: bool = False) -> ServiceRef:
        numbers = [p.number for p in service.phones.all()] if phones else []
        return cls(
            uuid=str(service.uuid),
            name=service.name,
            url=public_service_url(service, organization_active),
            status=service.status,
            status_label=str(service.get_status_display()),
            phones=numbers,
        )


@dataclass
class Cell:
    organization: Any
    profile: TaxonomyTerm
    role: int | None = None
    services: list[ServiceRef] = field(default_factory=list)
    # After a refused edit: the message, and what the editor had chosen.
    error: str = ""
    typed_role: str | None = None
    typed_services: list[str] | None = None

    @property
    def form_role(self) -> str:
        return self.typed_role if self.typed_role is not None else self.mark

    @property
    def form_services(self) -> list[str]:
        return self.typed_services if self.typed_services is not None else self.service_uuids

    @property
    def mark(self) -> str:
        return str(self.role) if self.role else ""

    @property
    def role_label(self) -> str:
        return str(CellRole(self.role).label) if self.role else ""

    @property
    def dom_id(self) -> str:
        return f"cell-{self.organization.uuid}-{self.profile.code}"

    @property
    def service_uuids(self) -> list[str]:
        return [service.uuid for service in self.services]


@dataclass
class Row:
    organization: Any
    cells: list[Cell]
    options: list[ServiceRef] = field(default_factory=list)

    @property
    def dom_id(self) -> str:
        return f"row-{self.organization.uuid}"

    @property
    def is_empty(self) -> bool:
        return not any(cell.role for cell in self.cells)


@dataclass
class Matrix:
    pathway: Pathway
    profiles: list[TaxonomyTerm]
    rows: list[Row]

    def count(self, role: int) -> int:
        return sum(1 for row in self.rows for cell in row.cells if cell.role == role)

    @property
    def entry_count(self) -> int:
        return self.count(CellRole.ENTRY)

    @property
    def onward_count(self) -> int:
        return self.count(CellRole.FUNNEL)


def matrix_profiles(pathway: Pathway) -> list[TaxonomyTerm]:
    """Active population profiles in order, plus any retired one a cell still uses."""
    used = PathwayCell.objects.filter(pathway=pathway).values("profile_id")
    return list(
        TaxonomyTerm.objects.filter(taxonomy__code=Taxonomy.POPULATION)
        .filter(Q(active=True) | Q(pk__in=used))
        .order_by("position", "code")
    )


def build_matrix(
    pathway: Pathway,
    user: User | AnonymousUser,
    *,
    organizations: list[Any] | None = None,
    profiles: list[TaxonomyTerm] | None = None,
    editing: bool = False,
    phones: bool = False,
) -> Matrix:
    """The matrix in a fixed number of queries, whatever its size.

    ``organizations``/``profiles`` narrow it (one cell re-rendered after an edit);
    ``editing`` adds each organization's services as options; ``phones`` their numbers.
    """
    whole = organizations is None and profiles is None
    if profiles is None:
        profiles = matrix_profiles(pathway)
    if organizations is None:
        organizations = list(pathway.organizations.order_by("name"))
    shown = visible_services(user)
    cells = PathwayCell.objects.filter(pathway=pathway)
    narrowed: dict[str, Any] = {}
    if not whole:
        narrowed = {"organization__in": organizations, "profile__in": profiles}
        cells = cells.filter(**narrowed)
    found: dict[tuple[int, int], tuple[int, int | None]] = {
        (organization_id, profile_id): (pk, role)
        for pk, organization_id, profile_id, role in cells.values_list(
            "pk", "organization_id", "profile_id", "role"
        )
    }
    linked = _cell_services(pathway, shown, phones, narrowed)
    options: dict[int, list[Service]] = {}
    if editing and organizations:
        for service in (
            shown.order_by("name_es")
            .filter(organization__in=organizations)
            .exclude(status=ServiceStatus.CLOSED)
        ):
            options.setdefault(service.organization_id, []).append(service)
    urls = _ServiceUrls()
    labels = {value: str(label) for value, label in ServiceStatus.choices}
    language = _language()
    rows = []
    for organization in organizations:
        row_cells = []
        in_row: dict[str, ServiceRef] = {}
        for profile in profiles:
            pk, role = found.get((organization.pk, profile.pk), (0, None))  # 0: no cell
            refs = [
                ServiceRef(
                    uuid=link.uuid,
                    name=link.name(language),
                    url=urls(link.uuid, link.status, organization.active),
                    status=link.status,
                    status_label=labels.get(link.status, link.status),
                    phones=link.phones,
                )
                for link in linked.get(pk, [])
            ]
            in_row.update((ref.uuid, ref) for ref in refs)
            row_cells.append(
                Cell(organization=organization, profile=profile, role=role, services=refs)
            )
        row_options: list[ServiceRef] = []
        if editing:
            row_options = [
                ServiceRef.of(s, organization.active) for s in options.get(organization.pk, [])
            ]
            known = {ref.uuid for ref in row_options}
            row_options += [ref for uuid, ref in in_row.items() if uuid not in known]
        rows.append(Row(organization=organization, cells=row_cells, options=row_options))
    return Matrix(pathway=pathway, profiles=profiles, rows=rows)


@dataclass
class _Linked:
    """A service under a cell, as read for the matrix (no model object)."""

    uuid: str
    name_es: str
    name_en: str
    status: str
    phones: list[str]

    def name(self, language: str) -> str:
        return localized(self, "name", language)


def _cell_services(
    pathway: Pathway, shown: Any, phones: bool, narrowed: dict[str, Any]
) -> dict[int, list[_Linked]]:
    """The services the viewer may see (``shown``) under each cell of ``pathway`` (those
    of ``narrowed``'s organizations and profiles), by name: plain values in one query (two
    with their phones), not a model object per service and per cell. One ``filter`` for
    the cell's conditions, so that they hold for the same cell, whose id is read."""
    cell = {f"pathway_cells__{name}": value for name, value in narrowed.items()}
    links = list(
        shown.filter(pathway_cells__pathway=pathway, **cell)
        .order_by("name_es", "pk")
        .values_list("pathway_cells__id", "pk", "uuid", "name_es", "name_en", "status")
    )
    found: dict[int, list[_Linked]] = {}
    numbers: dict[int, list[str]] = {}
    if phones:
        for service_id, number in Phone.objects.filter(
            service_id__in={row[1] for row in links}
        ).values_list("service_id", "number"):
            numbers.setdefault(service_id, []).append(number)
    for cell_id, service_id, uuid, name_es, name_en, status in links:
        found.setdefault(cell_id, []).append(
            _Linked(str(uuid), name_es, name_en, status, numbers.get(service_id, []))
        )
    return found


# --- Labels shared by the page and the exports ---------------------------------------


def place_text(pathway: Pathway) -> str:
    parts = [
        pathway.admin1.name if pathway.admin1 else "",
        country_name(pathway.country, _language()),
    ]
    return ", ".join(part for part in parts if part)


def scope_text(pathway: Pathway) -> str:
    return pathway.scope_note or place_text(pathway)


def local_date(value: datetime | None) -> str:
    if value is None:
        return ""
    return date_format(timezone.localtime(value).date(), "DATE_FORMAT")


def legend() -> list[tuple[str, str, str]]:
    """(mark, name, meaning): the seed's "1" and "2"."""
    return [
        (
            "1",
            str(CellRole.ENTRY.label),
            _(
                "The organization receives people of this profile directly and starts "
                "their care in the pathway."
            ),
        ),
        (
            "2",
            str(CellRole.FUNNEL.label),
            _(
                "A “funnel”: the organization consistently refers people of this profile "
                "on to other services, following its protocols or standard operating "
                "procedures."
            ),
        ),
    ]


def file_name(pathway: Pathway, extension: str) -> str:
    return f"{slugify(pathway.title)[:80] or 'ruta'}.{extension}"


def verified_text(pathway: Pathway) -> str:
    if pathway.verified_at is None:
        return str(_("Not verified yet"))
    text = local_date(pathway.verified_at)
    if pathway.due_for_check:
        text = f"{text} {_('— due for a new check')}"
    return text


def meta_rows(pathway: Pathway, generated: datetime) -> list[tuple[str, str]]:
    rows = [
        (_("Theme"), str(pathway.get_theme_display())),
        (_("Geographic scope"), scope_text(pathway)),
    ]
    if pathway.scope_note:
        rows.append((_("Region and country"), place_text(pathway)))
    rows += [
        (_("Status"), str(pathway.get_status_display())),
        (_("Verified on"), verified_text(pathway)),
        (_("Generated on"), local_date(generated)),
    ]
    return rows


# --- XLSX ---------------------------------------------------------------------------

ENTRY_FILL = "D6ECEF"
ONWARD_FILL = "FBEBC8"
HEADER_FILL = "0B5C6B"


def matrix_xlsx(matrix: Matrix, generated: datetime) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    pathway = matrix.pathway
    thin = Side(style="thin", color="C9D1DC")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    header_font = Font(bold=True, color="FFFFFF")
    header_fill = PatternFill("solid", fgColor=HEADER_FILL)
    fills = {
        CellRole.ENTRY: PatternFill("solid", fgColor=ENTRY_FILL),
        CellRole.FUNNEL: PatternFill("solid", fgColor=ONWARD_FILL),
    }
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(horizontal="center", vertical="center")

    book = Workbook()
    sheet: Any = book.active
    sheet.title = _("Pathway")[:31]
    sheet["A1"] = pathway.title
    sheet["A1"].font = Font(bold=True, size=14)
    line = 2
    if pathway.illustrative:
        sheet.cell(line, 1, _("Illustrative example — not a real referral pathway.")).font = Font(
            italic=True, color="8A6100"
        )
        line += 1
    for label, value in meta_rows(pathway, generated):
        sheet.cell(line, 1, label).font = bold
        sheet.cell(line, 2, value)
        line += 1
    line += 1
    header = line
    sheet.cell(header, 1, _("Organization / institution"))
    for index, profile in enumerate(matrix.profiles, start=2):
        sheet.cell(header, index, profile.name)
    for column in range(1, len(matrix.profiles) + 2):
        cell = sheet.cell(header, column)
        cell.font, cell.fill, cell.border = header_font, header_fill, border
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.row_dimensions[header].height = 45
    for offset, row in enumerate(matrix.rows, start=1):
        first = sheet.cell(header + offset, 1, row.organization.display_name)
        first.font, first.border, first.alignment = bold, border, wrap
        for index, item in enumerate(row.cells, start=2):
            cell = sheet.cell(header + offset, index, item.role)
            cell.border, cell.alignment = border, centre
            if item.role:
                cell.fill = fills[CellRole(item.role)]
                cell.font = bold
    line = header + len(matrix.rows) + 2
    sheet.cell(line, 1, _("Legend")).font = bold
    for mark, name, meaning in legend():
        line += 1
        cell = sheet.cell(line, 1, f"{mark} — {name}")
        cell.font = bold
        cell.fill = fills[CellRole(int(mark))]
        sheet.cell(line, 2, meaning)
    line += 1
    sheet.cell(line, 1, _("Empty cell")).font = bold
    sheet.cell(line, 2, _("The organization is not part of this pathway for that profile."))
    sheet.column_dimensions["A"].width = 42
    for index in range(2, len(matrix.profiles) + 2):
        sheet.column_dimensions[get_column_letter(index)].width = 15
    sheet.freeze_panes = sheet.cell(header + 1, 2)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header}:{header}"

    services: Any = book.create_sheet(_("Services")[:31])
    titles = [_("Organization"), _("Population profile"), _("Role"), _("Service"), _("Phone")]
    for column, title in enumerate(titles, start=1):
        cell = services.cell(1, column, title)
        cell.font, cell.fill, cell.border = header_font, header_fill, border
    line = 1
    for row in matrix.rows:
        for item in row.cells:
            for service in item.services:
                line += 1
                values = [
                    row.organization.display_name,
                    item.profile.name,
                    f"{item.mark} — {item.role_label}",
                    service.name,
                    ", ".join(service.phones),
                ]
                for column, value in enumerate(values, start=1):
                    services.cell(line, column, value).alignment = wrap
    for letter, width in zip("ABCDE", (40, 28, 22, 48, 24), strict=True):
        services.column_dimensions[letter].width = width
    services.freeze_panes = "A2"
    if line > 1:
        services.auto_filter.ref = f"A1:E{line}"

    book.properties.title = pathway.title
    book.properties.creator = "Ruta"
    return workbook_bytes(book)


# --- PDF ----------------------------------------------------------------------------


def print_css() -> str:
    path = finders.find(PRINT_CSS)
    if not path:
        from django.contrib.staticfiles.storage import staticfiles_storage

        path = staticfiles_storage.path(PRINT_CSS)
    return Path(str(path)).read_text(encoding="utf-8")


def matrix_html(matrix: Matrix, generated: datetime) -> str:
    pathway = matrix.pathway
    return render_to_string(
        "pathways/print.html",
        {
            "matrix": matrix,
            "pathway": pathway,
            "meta": meta_rows(pathway, generated),
            "legend": legend(),
            "generated": local_date(generated),
            "verified": local_date(pathway.verified_at),
            "due_for_check": pathway.due_for_check,
            "published": pathway.status == PathwayStatus.PUBLISHED,
            "LANGUAGE_CODE": _language(),
        },
    )


def matrix_pdf(matrix: Matrix, generated: datetime) -> bytes:
    import weasyprint
    from weasyprint.urls import URLFetcher

    # The document is self-contained: nothing is fetched (no network, no files).
    no_fetch = URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(string=matrix_html(matrix, generated), url_fetcher=no_fetch)
    result: bytes = document.write_pdf(stylesheets=[weasyprint.CSS(string=print_css())])
    return result
