"""Import enrolments from a CSV or XLSX list: name, email, organization, sex, country.

Every row is checked first; if any row is wrong, every wrong row is reported with its
line number and nothing is written. People are matched by e-mail (case-insensitive);
a new address creates a ``network.Person``. Headers may be in Spanish or English.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ruta.agencies.models import Organization
from ruta.lib import tables
from ruta.lib.geo import country_name
from ruta.network.models import Person, PersonSex
from ruta.trainings import actions
from ruta.trainings.models import Course, EnrolmentSource

if TYPE_CHECKING:
    from ruta.accounts.models import User

MAX_ROWS = 5000  # limits of the reading itself: ruta.lib.tables


def _key(text: Any) -> str:
    """Lower case, no accents, letters and digits only: "Correo electrónico" → "correoelectronico"."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    return "".join(ch for ch in decomposed.lower() if ch.isalnum())


HEADERS: dict[str, set[str]] = {
    "name": {
        "name",
        "fullname",
        "nombre",
        "nombres",
        "nombrecompleto",
        "nombresyapellidos",
        "apellidosynombres",
        "participante",
        "participant",
    },
    "email": {
        "email",
        "emailaddress",
        "mail",
        "correo",
        "correoelectronico",
        "correoe",
        "emailcorreo",
    },
    "organization": {
        "organization",
        "organisation",
        "organizacion",
        "institution",
        "institucion",
        "entidad",
        "agency",
        "agencia",
    },
    "sex": {"sex", "sexo", "gender", "genero"},
    "country": {"country", "pais", "countrycode", "codigopais"},
}
REQUIRED = ("name", "email")

SEX_VALUES: dict[str, str] = {
    **dict.fromkeys(["f", "female", "woman", "femenino", "mujer", "fem"], PersonSex.FEMALE),
    **dict.fromkeys(["m", "male", "man", "masculino", "hombre", "varon", "masc"], PersonSex.MALE),
    **dict.fromkeys(["other", "otro", "otra", "o", "nobinario", "nonbinary"], PersonSex.OTHER),
    **dict.fromkeys(
        [
            "",
            "undisclosed",
            "prefersnottosay",
            "prefieronodecir",
            "nodecir",
            "nosabe",
            "nd",
            "na",
        ],
        PersonSex.UNDISCLOSED,
    ),
}


@dataclass
class RowIssue:
    line: int
    field: str
    reason: str


@dataclass
class Row:
    line: int
    name: str
    email: str
    organization: Organization | None
    organization_name: str
    sex: str
    country: str


@dataclass
class ImportResult:
    rows: list[Row] = field(default_factory=list)
    issues: list[RowIssue] = field(default_factory=list)
    enrolled: int = 0
    already: int = 0
    new_people: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues


class ImportFileError(actions.TrainingError):
    """The file as a whole cannot be read (not a line-level problem)."""


# --- Reading ------------------------------------------------------------------------------
def read_table(name: str, content: bytes) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-empty line, header first."""
    try:
        return tables.read_table(name, content, max_rows=MAX_ROWS)
    except tables.TableError as error:
        raise ImportFileError(str(error)) from error


# --- Checking -----------------------------------------------------------------------------
def _columns(header: list[str]) -> tuple[dict[str, int], list[str]]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = _key(title)
        for column, names in HEADERS.items():
            if key in names and column not in found:
                found[column] = index
    missing = [column for column in REQUIRED if column not in found]
    return found, missing


@lru_cache(maxsize=1)
def _country_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for country in pycountry.countries:
        code = str(country.alpha_2)
        names = (
            country.name,
            getattr(country, "common_name", ""),
            getattr(country, "official_name", ""),
            country_name(code, "es"),
            country_name(code, "en"),
        )
        for name in names:
            if name:
                index.setdefault(_key(name), code)
        index.setdefault(_key(code), code)
        index.setdefault(_key(country.alpha_3), code)
    return index


def _country(text: str) -> str | None:
    """An ISO 3166-1 alpha-2 code from a code or a Spanish/English name; None if unknown."""
    if not text:
        return ""
    return _country_index().get(_key(text))


def _organizations() -> dict[str, Organization]:
    found: dict[str, Organization] = {}
    for organization in Organization.objects.all():
        for label in (organization.name, organization.acronym, organization.display_name):
            if label:
                found.setdefault(_key(label), organization)
    return found


def check_rows(lines: list[tuple[int, list[str]]], course: Course) -> ImportResult:
    result = ImportResult()
    if not lines:
        result.issues.append(RowIssue(1, "", _("The file is empty.")))
        return result
    header_line, header = lines[0]
    columns, missing = _columns(header)
    if missing:
        result.issues.append(
            RowIssue(
                header_line,
                ", ".join(missing),
                _(
                    "Missing column(s): %(columns)s. The first line must name the columns "
                    "(name, email, organization, sex, country)."
                )
                % {"columns": ", ".join(missing)},
            )
        )
        return result
    if len(lines) - 1 > MAX_ROWS:
        result.issues.append(
            RowIssue(header_line, "", _("At most %(max)s rows per file.") % {"max": MAX_ROWS})
        )
        return result
    organizations = _organizations()
    seen: dict[str, int] = {}

    def cell(cells: list[str], column: str) -> str:
        index = columns.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    for line, cells in lines[1:]:
        problems: list[RowIssue] = []
        name = " ".join(cell(cells, "name").split())
        email = cell(cells, "email").lower()
        if not name:
            problems.append(RowIssue(line, "name", _("The name is empty.")))
        elif len(name) > 200:
            problems.append(RowIssue(line, "name", _("The name is longer than 200 characters.")))
        if not email:
            problems.append(RowIssue(line, "email", _("The e-mail address is empty.")))
        else:
            try:
                validate_email(email)
            except ValidationError:
                problems.append(
                    RowIssue(
                        line,
                        "email",
                        _("“%(value)s” is not a valid e-mail address.") % {"value": email},
                    )
                )
            else:
                if email in seen:
                    problems.append(
                        RowIssue(
                            line,
                            "email",
                            _("This e-mail address is already on line %(line)s.")
                            % {"line": seen[email]},
                        )
                    )
                seen.setdefault(email, line)
        sex_text = cell(cells, "sex")
        sex = SEX_VALUES.get(_key(sex_text))
        if sex is None:
            problems.append(
                RowIssue(
                    line,
                    "sex",
                    _(
                        "Unknown sex “%(value)s”: use female, male, other or leave it empty "
                        "(F, M, mujer, hombre, otro also work)."
                    )
                    % {"value": sex_text},
                )
            )
        country_text = cell(cells, "country")
        country = _country(country_text)
        if country is None:
            problems.append(
                RowIssue(
                    line,
                    "country",
                    _("Unknown country “%(value)s”: use a country name or its ISO code (PE, SV).")
                    % {"value": country_text},
                )
            )
        organization_text = cell(cells, "organization")[:200]
        if problems:
            result.issues += problems
            continue
        result.rows.append(
            Row(
                line=line,
                name=name,
                email=email,
                organization=organizations.get(_key(organization_text)),
                organization_name=organization_text,
                sex=sex or PersonSex.UNDISCLOSED,
                country=country or course.country,
            )
        )
    if not result.rows and not result.issues:
        result.issues.append(RowIssue(header_line, "", _("The file has no rows below the header.")))
    return result


# --- Writing ------------------------------------------------------------------------------
def _person_for(row: Row, result: ImportResult) -> Person:
    person = Person.objects.filter(email__iexact=row.email).order_by("pk").first()
    if person is not None:
        return person
    result.new_people += 1
    return Person.objects.create(
        full_name=row.name,
        email=row.email,
        organization=row.organization,
        organization_name="" if row.organization else row.organization_name,
        sex=row.sex,
        country=row.country,
    )


def import_enrolments(
    actor: User, course: Course, file_name: str, content: bytes, *, dry_run: bool = False
) -> ImportResult:
    """Check every row; enrol them all in one transaction only if none is wrong."""
    actions.require_coordinator(actor)
    actions.require_enrollable(course)
    result = check_rows(read_table(file_name, content), course)
    if not result.ok or dry_run:
        return result
    with transaction.atomic():
        for row in result.rows:
            person = _person_for(row, result)
            _enrolment, created = actions.enrol_person(
                actor, course, person, source=EnrolmentSource.IMPORT
            )
            if created:
                result.enrolled += 1
            else:
                result.already += 1
        actions.audit_event(
            "training.enrolments_imported",
            actor,
            course,
            rows=len(result.rows),
            enrolled=result.enrolled,
            already=result.already,
            new_people=result.new_people,
        )
    return result
