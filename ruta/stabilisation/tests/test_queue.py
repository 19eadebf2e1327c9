"""The delay bridge: payment import and the daily command move beneficiaries in and out
of the stabilisation queue, once, and tell the team without personal data."""

from __future__ import annotations

import datetime as dt
import functools
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import call_command

from ruta.notifications.models import Notification, NotificationKind
from ruta.notifications.registry import notification_text
from ruta.places.models import AdminArea
from ruta.stabilisation import actions, imports
from ruta.stabilisation.models import (
    Beneficiary,
    LeftReason,
    Payment,
    PaymentStatus,
    QueueEntry,
)
from ruta.stabilisation.tests.factories import make_beneficiary, make_programme

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 20)
MOMENT = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)

SHEET = """id;expected;paid;amount;sex;age;population type;admin1;name;phone
HH-001;2026-11-01;;120;mujer;26-59;destino;EC-P;Ana Ficticia;+593 990 000 001
HH-002;2026-11-10;;120;hombre;18-25;tránsito;EC-C;;
HH-003;2026-11-18;;120;mujer;60+;acogida;EC-P;;
HH-004;2026-10-20;2026-10-22;120;mujer;26-59;destino;EC-P;;
"""


def _import(world: Any, programme: Any, text: str, name: str = "pagos.csv") -> Any:
    return imports.import_payments(
        world.user("helpline.care"), programme, name, text.encode("utf-8")
    )


def _open_codes(programme: Any) -> set[str]:
    return {
        entry.beneficiary.code
        for entry in QueueEntry.objects.filter(
            beneficiary__programme=programme, left_on__isnull=True
        ).select_related("beneficiary")
    }


@time_machine.travel(MOMENT, tick=False)
def test_import_moves_late_beneficiaries_in_and_paid_ones_out(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    programme = make_programme(world.care, delay_days=7)
    with django_capture_on_commit_callbacks(execute=True):
        result = _import(world, programme, SHEET)
    assert result.ok, result.issues
    assert (result.payments, result.new_people, result.entered, result.left) == (4, 4, 2, 0)
    # HH-001 is 19 days late, HH-002 10 days: in. HH-003 is 2 days late, HH-004 was paid.
    assert _open_codes(programme) == {
        actions.beneficiary_code(programme, "HH-001"),
        actions.beneficiary_code(programme, "HH-002"),
    }
    late = Payment.objects.get(beneficiary__code=actions.beneficiary_code(programme, "HH-003"))
    assert late.status == PaymentStatus.DELAYED
    # The id is kept only as a keyed hash; the name and phone encrypted.
    first = Beneficiary.objects.get(code=actions.beneficiary_code(programme, "HH-001"))
    assert "HH-001" not in first.code and first.name == "Ana Ficticia"
    assert (first.sex, first.age_band, first.population_type) == (
        "female",
        "26-59",
        "in_destination",
    )
    # The team is told how many, never who.
    notes = Notification.objects.filter(kind=NotificationKind.STABILISATION)
    recipients = {note.recipient_id for note in notes}
    assert recipients == {world.user("helpline.care").pk, world.user("supervisor.care").pk}
    text = notification_text(NotificationKind.STABILISATION, notes[0].details)
    assert "2" in text and "Ana" not in text and "HH-" not in text
    assert notes[0].details["count"] == 2

    # The next sheet says HH-001 was paid: they leave the queue on the day it was paid.
    paid = "id;expected;paid\nhh-001 ;2026-11-01;2026-11-21\n"
    with time_machine.travel(MOMENT + dt.timedelta(days=2), tick=False):
        result = _import(world, programme, paid)
    assert result.ok and (result.entered, result.left, result.new_people) == (0, 1, 0)
    assert _open_codes(programme) == {actions.beneficiary_code(programme, "HH-002")}
    entry = QueueEntry.objects.get(beneficiary=first)
    assert (entry.left_on, entry.left_reason) == (dt.date(2026, 11, 21), LeftReason.PAID)
    # The schedule sent again (no date paid, no status) does not undo the payment.
    with time_machine.travel(MOMENT + dt.timedelta(days=3), tick=False):
        again = _import(world, programme, "id;expected\nHH-001;2026-11-01\n")
    assert again.ok and (again.entered, again.left) == (0, 0)
    assert Payment.objects.get(beneficiary=first).status == PaymentStatus.PAID


@time_machine.travel(MOMENT, tick=False)
def test_a_wrong_sheet_saves_nothing_and_names_every_line(world: Any) -> None:
    programme = make_programme(world.care)
    sheet = (
        "id;expected;paid;amount;sex;status\n"
        "HH-1;2026-11-01;;120;mujer;\n"
        ";2026-11-01;;;;\n"
        "HH-3;ayer;;;;\n"
        "HH-4;2026-11-01;;mucho;alien;\n"
        "HH-5;2026-11-01;;;;paid\n"
        "HH-1;2026-11-01;;;;\n"
    )
    result = _import(world, programme, sheet)
    assert not result.ok
    assert [(issue.line, issue.field) for issue in result.issues] == [
        (3, "id"),
        (4, "expected"),
        (5, "amount"),
        (5, "sex"),
        (6, "paid"),
        (7, "expected"),
    ]
    assert not Beneficiary.objects.exists() and not QueueEntry.objects.exists()
    missing = _import(world, programme, "código;monto\nHH-1;3\n")
    assert [issue.line for issue in missing.issues] == [1]


@time_machine.travel(MOMENT, tick=False)
def test_the_daily_command_is_idempotent_and_ends_with_the_payment(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    programme = make_programme(world.care, delay_days=5)
    waiting = make_beneficiary(programme, "A-1", TODAY - dt.timedelta(days=5))
    not_yet = make_beneficiary(programme, "A-2", TODAY - dt.timedelta(days=4))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("stabilisation_queue", stdout=out)
        call_command("stabilisation_queue", stdout=StringIO())
    assert "1 entered" in out.getvalue()
    assert QueueEntry.objects.filter(beneficiary=waiting).count() == 1
    assert not QueueEntry.objects.filter(beneficiary=not_yet).exists()
    # One notification each for the operator and the supervisor: the second run adds none.
    assert Notification.objects.filter(kind=NotificationKind.STABILISATION).count() == 2
    with (
        time_machine.travel(MOMENT + dt.timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("stabilisation_queue", stdout=StringIO())
    assert QueueEntry.objects.filter(beneficiary=not_yet, left_on__isnull=True).exists()
    assert Notification.objects.filter(kind=NotificationKind.STABILISATION).count() == 4
    payment = waiting.payments.get()
    actions.record_payment(
        world.user("helpline.care"), payment, status=PaymentStatus.PAID, paid_on=TODAY
    )
    entry = QueueEntry.objects.get(beneficiary=waiting)
    assert (entry.left_on, entry.left_reason) == (TODAY, LeftReason.PAID)
    call_command("stabilisation_queue", stdout=StringIO())
    assert QueueEntry.objects.filter(beneficiary=waiting).count() == 1


@time_machine.travel(MOMENT, tick=False)
def test_only_the_programmes_team_imports(world: Any) -> None:
    programme = make_programme(world.care)
    with pytest.raises(actions.StabilisationError):
        imports.import_payments(world.user("helpline.hias"), programme, "a.csv", SHEET.encode())
    with pytest.raises(actions.StabilisationError):
        imports.import_payments(world.user("caseworker.care"), programme, "a.csv", SHEET.encode())


@time_machine.travel(MOMENT, tick=False)
def test_places_are_read_by_code_or_name_and_an_unknown_one_is_refused(world: Any) -> None:
    programme = make_programme(world.care)  # regions in Ecuador
    pichincha, carchi = AdminArea.objects.get(code="EC-P"), AdminArea.objects.get(code="EC-C")
    quito = _district("EC170150", "Quito", pichincha)
    _district("EC040150", "San Juan", carchi)
    _district("EC170160", "San Juan", pichincha)
    wrong = (
        "id;expected;región;distrito\n"
        "HH-1;2026-11-01;Atlántida;\n"
        "HH-2;2026-11-01;EC-C;Quito\n"
        "HH-3;2026-11-01;;San Juan\n"
        "HH-4;2026-11-01;Pichincha;Nayón\n"
        "HH-5;2026-11-01;Lima;\n"
    )
    result = _import(world, programme, wrong)
    assert [(issue.line, issue.field) for issue in result.issues] == [
        (2, "admin1"),
        (3, "admin2"),
        (4, "admin2"),
        (5, "admin2"),
        (6, "admin1"),  # Lima is a region of Peru, not of the programme's Ecuador
    ]
    reasons = [issue.reason for issue in result.issues]
    assert "Atlántida" in reasons[0]
    assert "EC170150" in reasons[1] and "EC-C" in reasons[1]
    assert "EC040150" in reasons[2] and "EC170160" in reasons[2]
    assert not Beneficiary.objects.exists()

    right = (
        "id;expected;región;distrito\n"
        "HH-1;2026-11-01;pichincha;\n"
        "HH-2;2026-11-01;ec-c;\n"
        "HH-3;2026-11-01;;quito\n"
        "HH-4;2026-11-01;Carchi;San Juan\n"
        "HH-5;2026-11-01;;ec170160\n"
    )
    result = _import(world, programme, right)
    assert result.ok, result.issues
    stored = {person.code: (person.admin1, person.admin2) for person in Beneficiary.objects.all()}
    code = functools.partial(actions.beneficiary_code, programme)
    assert stored == {
        code("HH-1"): ("EC-P", ""),
        code("HH-2"): ("EC-C", ""),
        code("HH-3"): ("EC-P", quito.code),
        code("HH-4"): ("EC-C", "EC040150"),
        code("HH-5"): ("EC-P", "EC170160"),
    }


@time_machine.travel(MOMENT, tick=False)
def test_a_district_of_a_country_the_gazetteer_has_none_of_says_so(world: Any) -> None:
    programme = make_programme(world.care, admin1_codes=["PE-LIM"])
    result = _import(world, programme, "id;expected;region;district\nHH-1;2026-11-01;Lima;Comas\n")
    (issue,) = result.issues
    assert (issue.line, issue.field) == (2, "admin2")
    assert "PE" in issue.reason and "Comas" in issue.reason


def _district(code: str, name: str, region: AdminArea) -> AdminArea:
    return AdminArea.objects.create(
        code=code,
        pcode=code,
        country=region.country,
        level=2,
        name_es=name,
        name_en=name,
        parent=region,
    )
