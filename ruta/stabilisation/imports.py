"""Import a programme's payment sheet (CSV or XLSX): one line per beneficiary and expected
payment, with the programme's beneficiary (household) id, the expected date and, when
known, the date it was paid, the amount, or a status (a line without a date paid or a
status leaves a payment already paid or cancelled as it is; "scheduled" reopens it); the
coded profile, region and district, name and phone are optional (a name and phone are
stored encrypted, the id only as a keyed hash). A region or district is read by its code,
P-code or name (``ruta.places.lookup``) and stored as its gazetteer code: a place the
gazetteer does not know is an error, not a figure under a made-up area.

Every row is checked first; if any row is wrong, every wrong row is reported with its line
number and nothing is written. Headers may be in Spanish or English. After the rows are
written, the queue follows: a paid or cancelled payment ends its stabilisation, a payment
now ``delay_days`` late puts its beneficiary in the queue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ruta.cases.models import AgeBand, PopulationType, Sex
from ruta.lib import tables
from ruta.lib.issues import Issue
from ruta.lib.text import fold
from ruta.places.lookup import AreaLookup, AreaNotFound
from ruta.stabilisation import actions
from ruta.stabilisation.models import Programme, QueueEntry

MAX_ROWS = 5000


def _key(text: Any) -> str:
    return "".join(ch for ch in fold(str(text or "")) if ch.isalnum())


HEADERS: dict[str, set[str]] = {
    "id": {
        "id",
        "code",
        "codigo",
        "household",
        "hogar",
        "codigohogar",
        "beneficiario",
        "beneficiaryid",
        "idbeneficiario",
        "householdcode",
    },
    "expected": {
        "expected",
        "expecteddate",
        "fechaesperada",
        "fechaprevista",
        "previsto",
        "fechadepago",
        "paymentdate",
    },
    "paid": {
        "paid",
        "paidon",
        "paiddate",
        "pagado",
        "fechapagado",
        "fechadepagoefectivo",
        "fechapagada",
    },
    "amount": {"amount", "monto", "importe", "valor"},
    "status": {"status", "estado"},
    "sex": {"sex", "sexo"},
    "age_band": {"age", "ageband", "edad", "rangodeedad", "grupodeedad"},
    "population_type": {"populationtype", "population", "tipodepoblacion", "poblacion"},
    "disability": {"disability", "discapacidad"},
    "admin1": {"admin1", "region", "provincia", "province", "departamento"},
    "admin2": {"admin2", "district", "distrito", "canton", "city", "ciudad"},
    "name": {"name", "nombre", "fullname", "nombrecompleto"},
    "phone": {"phone", "telefono", "celular", "mobile"},
}
REQUIRED = ("id", "expected")

SEX: dict[str, str] = {
    **dict.fromkeys(["female", "f", "mujer", "femenino"], Sex.FEMALE),
    **dict.fromkeys(["male", "m", "hombre", "masculino"], Sex.MALE),
    **dict.fromkeys(["intersex", "intersexual"], Sex.INTERSEX),
    **dict.fromkeys(["undisclosed", "nd", "prefierenodecir"], Sex.UNDISCLOSED),
}
AGE_BANDS = {_key(value): value for value in AgeBand.values}
POPULATION: dict[str, str] = {
    **dict.fromkeys(["indestination", "destino", "endestino"], PopulationType.IN_DESTINATION),
    **dict.fromkeys(["intransit", "transito", "entransito"], PopulationType.IN_TRANSIT),
    **dict.fromkeys(["pendular", "pendulares"], PopulationType.PENDULAR),
    **dict.fromkeys(["returnee", "retornado", "retornada"], PopulationType.RETURNEE),
    **dict.fromkeys(
        ["host", "hostcommunity", "acogida", "comunidaddeacogida"], PopulationType.HOST
    ),
}
DISABILITY: dict[str, str] = {
    **dict.fromkeys(["", "no", "n", "0"], "no"),
    **dict.fromkeys(["yes", "y", "si", "s", "1", "x"], "yes"),
}
STATUSES: dict[str, str] = {
    "": "keep",
    **dict.fromkeys(["scheduled", "programado", "pendiente", "delayed", "retrasado"], "due"),
    **dict.fromkeys(["paid", "pagado", "entregado"], "paid"),
    **dict.fromkeys(["cancelled", "canceled", "cancelado", "anulado"], "cancelled"),
}


class ImportFileError(actions.StabilisationError):
    """The file as a whole cannot be read (not a line-level problem)."""


@dataclass
class Row:
    line: int
    beneficiary_id: str
    expected_on: dt.date
    paid_on: dt.date | None
    amount: Decimal | None
    cancelled: bool
    reopen: bool
    profile: dict[str, str]
    name: str
    phone: str


@dataclass
class ImportResult:
    rows: list[Row] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    payments: int = 0
    new_people: int = 0
    entered: int = 0
    left: int = 0

    @property
    def ok(self) -> bool:
        return not self.issues


def _date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def check_rows(
    lines: list[tuple[int, list[str]]], file: str, countries: Collection[str] = ()
) -> ImportResult:
    """Every line checked; ``countries`` (the programme's) settle a region's name."""
    result = ImportResult()
    areas: AreaLookup | None = None

    def issue(line: int, column: str, reason: str) -> None:
        result.issues.append(Issue(file, line, column, reason))

    if not lines:
        issue(1, "", _("The file is empty."))
        return result
    header_line, header = lines[0]
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        for column, names in HEADERS.items():
            if _key(title) in names and column not in columns:
                columns[column] = index
    missing = [column for column in REQUIRED if column not in columns]
    if missing:
        issue(
            header_line,
            "",
            _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)},
        )
        return result
    if len(lines) > MAX_ROWS + 1:
        issue(header_line, "", _("The file has more than %(max)s rows.") % {"max": MAX_ROWS})
        return result
    seen: dict[tuple[str, dt.date], int] = {}
    for line, cells in lines[1:]:

        def cell(column: str, cells: list[str] = cells) -> str:
            index = columns.get(column)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        before = len(result.issues)
        beneficiary_id = cell("id")
        if not beneficiary_id:
            issue(line, "id", _("The beneficiary id is missing."))
        elif len(beneficiary_id) > 60:
            issue(line, "id", _("The beneficiary id is longer than 60 characters."))
        expected = _date(cell("expected"))
        if expected is None:
            issue(line, "expected", _("The expected date is missing or not a date (YYYY-MM-DD)."))
        paid_on = None
        if cell("paid"):
            paid_on = _date(cell("paid"))
            if paid_on is None:
                issue(line, "paid", _("The payment date is not a date (YYYY-MM-DD)."))
        status = STATUSES.get(_key(cell("status")))
        if status is None:
            issue(line, "status", _("Unknown status: use scheduled, paid or cancelled."))
        elif status == "paid" and paid_on is None and not cell("paid"):
            issue(line, "paid", _("A paid payment needs the date it was paid."))
        amount = None
        if cell("amount"):
            try:
                amount = Decimal(cell("amount").replace(",", "."))
            except InvalidOperation:
                amount = None
            if amount is None or amount < 0 or amount >= Decimal("1e10"):
                issue(line, "amount", _("The amount is not a number."))
        profile: dict[str, str] = {}
        for column, vocabulary in (
            ("sex", SEX),
            ("age_band", AGE_BANDS),
            ("population_type", POPULATION),
            ("disability", DISABILITY),
        ):
            text = cell(column)
            if text:
                value = vocabulary.get(_key(text))
                if value is None:
                    issue(line, column, _("Unknown value: %(value)s.") % {"value": text[:40]})
                else:
                    profile[column] = value
        if cell("admin1") or cell("admin2"):
            areas = areas or AreaLookup()
            profile.update(_places(areas, cell("admin1"), cell("admin2"), countries, line, issue))
        name, phone = cell("name"), cell("phone")
        if len(name) > 120:
            issue(line, "name", _("The name is longer than 120 characters."))
        if len(phone) > 40:
            issue(line, "phone", _("The phone is longer than 40 characters."))
        if expected is not None and beneficiary_id:
            key = ("".join(beneficiary_id.split()).upper(), expected)
            if key in seen:
                issue(
                    line,
                    "expected",
                    _("The same payment is already on line %(line)s.") % {"line": seen[key]},
                )
            seen[key] = line
        if len(result.issues) == before and expected is not None:
            result.rows.append(
                Row(
                    line=line,
                    beneficiary_id=beneficiary_id,
                    expected_on=expected,
                    paid_on=paid_on if status == "paid" or paid_on else None,
                    amount=amount,
                    cancelled=status == "cancelled",
                    reopen=status == "due" and paid_on is None,
                    profile=profile,
                    name=name,
                    phone=phone,
                )
            )
    if not result.rows and not result.issues:
        issue(header_line, "", _("The file has no rows below the header."))
    return result


def _places(
    areas: AreaLookup,
    region: str,
    district: str,
    countries: Collection[str],
    line: int,
    issue: Callable[[int, str, str], None],
) -> dict[str, str]:
    """The codes of the region and district a line names (by code, P-code or name); a
    district alone brings its region."""
    found: dict[str, str] = {}
    admin1 = None
    if region:
        try:
            admin1 = areas.find(1, region, countries=countries)
        except AreaNotFound as error:
            issue(line, "admin1", str(error))
            return found
        found["admin1"] = admin1.code
    if district:
        try:
            admin2 = areas.find(2, district, within=admin1, countries=countries)
        except AreaNotFound as error:
            issue(line, "admin2", str(error))
            return found
        found["admin2"] = admin2.code
        if admin1 is None and admin2.parent is not None:
            found["admin1"] = admin2.parent.code
    return found


def _countries(programme: Programme) -> set[str]:
    """The countries a programme's regions lie in, else its agency's."""
    found = {str(code).split("-")[0].upper() for code in programme.admin1_codes if code}
    return found or set(programme.organization.countries or [])


def import_payments(
    actor: Any, programme: Programme, file_name: str, content: bytes
) -> ImportResult:
    """Check every row; write them all in one transaction only if none is wrong; then move
    beneficiaries in and out of the queue."""
    actions.require_team(actor, programme)
    try:
        lines = tables.read_table(file_name, content, max_rows=MAX_ROWS)
    except tables.TableError as error:
        raise ImportFileError(str(error)) from error
    result = check_rows(lines, file_name, _countries(programme))
    if not result.ok:
        return result
    with transaction.atomic():
        open_before = QueueEntry.objects.filter(
            beneficiary__programme=programme, left_on__isnull=True
        ).count()
        for row in result.rows:
            beneficiary, new = actions.enrol(
                programme, row.beneficiary_id, name=row.name, phone=row.phone, **row.profile
            )
            result.new_people += int(new)
            actions.set_payment(
                beneficiary,
                row.expected_on,
                paid_on=row.paid_on,
                amount=row.amount,
                cancelled=row.cancelled,
                reopen=row.reopen,
            )
            result.payments += 1
        open_after_payments = QueueEntry.objects.filter(
            beneficiary__programme=programme, left_on__isnull=True
        ).count()
        result.left = open_before - open_after_payments
        run = actions.refresh_queue(programmes=[programme])
        result.entered = run.entered
        result.left += run.left
        actions.audit_event(
            "stabilisation.payments.imported",
            actor,
            programme,
            programme.organization,
            rows=len(result.rows),
            new_people=result.new_people,
            entered=result.entered,
            left=result.left,
        )
    return result
