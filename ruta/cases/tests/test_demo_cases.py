"""The demo cases: idempotent, for every demo caseworker, lively today, encrypted, removable."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from conftest import make_user
from ruta.accounts.models import User
from ruta.audit.models import AuditEvent
from ruta.cases import access, work
from ruta.cases.demo import CASES_PER_CASEWORKER, load_case_demo, remove_case_demo
from ruta.cases.models import (
    ApprovalRequest,
    ApprovalState,
    Case,
    CaseStatus,
    Client,
    FollowUp,
    Incident,
    MeasureResult,
    RiskLevel,
    SafetyPlan,
)
from ruta.cases.tests.factories import make_case
from ruta.helpline.demo import HANDOFFS as HELPLINE_HANDOFFS
from ruta.notifications.models import Notification, NotificationKind
from ruta.statistics.demo import INCIDENTS as STATISTICS_INCIDENTS
from ruta.statistics.demo import PROTOCOLS as STATISTICS_PROTOCOLS

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

DEMO_CASEWORKERS = ("gestion.care@ruta.example.org", "gestion.hias@ruta.example.org")


def _load() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    models = (Case, Client, FollowUp, Incident, MeasureResult, ApprovalRequest, Notification)
    counts = {m.__name__: m.objects.count() for m in models}
    counts["AuditEvent"] = AuditEvent.objects.count()
    return counts


@pytest.mark.usefixtures("loaded_demo")
class TestOneLoadedDemo:
    """Tests that share one load of the demo (conftest.loaded_demo), each in its own savepoint."""

    def test_load_demo_twice_gives_the_same_counts(
        self, loaded_demo: str, django_capture_on_commit_callbacks: Any
    ) -> None:
        first_out = loaded_demo
        first = _counts()
        with django_capture_on_commit_callbacks(execute=True):
            second_out = _load()
        assert _counts() == first
        # ... and the GBV statistics demo's cases, held by the supervisors (ruta.statistics.demo).
        extra = len(STATISTICS_INCIDENTS) * len(STATISTICS_PROTOCOLS)
        # ... and the helpline's warm referrals: a case at CARE each, one more at HIAS when
        # accepted (ruta.helpline.demo).
        handoffs = len(HELPLINE_HANDOFFS) + sum(1 for h in HELPLINE_HANDOFFS if h[2] == "accepted")
        assert first["Case"] == CASES_PER_CASEWORKER * len(DEMO_CASEWORKERS) + extra + handoffs
        assert "Demo cases: 12 created" in first_out
        assert "Demo cases: 0 created" in second_out
        assert "their dates do not move" not in second_out  # built today

    def test_load_demo_tells_when_the_kept_demo_dates_are_old(self) -> None:
        built = timezone.now() - dt.timedelta(days=9)
        Case.objects.filter(created_by__is_demo=True).update(created_at=built)
        summary = load_case_demo()
        assert summary.created == 0 and summary.built_on == timezone.localdate(built)
        assert f"built on {timezone.localdate(built).isoformat()}" in summary.describe()
        assert "delete var/ruta.sqlite3" in summary.describe()

    def test_case_demo_is_rebuilt_once_its_cases_are_gone(self) -> None:
        Case.objects.all().delete()
        summary = load_case_demo()
        assert summary.created == 12

    def test_every_demo_caseworker_has_cases_at_every_stage(self) -> None:
        today = timezone.localdate()
        for email in DEMO_CASEWORKERS:
            caseworker = User.objects.get(email=email)
            cases = Case.objects.filter(caseworker=caseworker)
            assert cases.count() == CASES_PER_CASEWORKER
            assert all(c.code.startswith(caseworker.organization.acronym) for c in cases)
            assert cases.filter(status=CaseStatus.CLOSED).count() == 1
            assert cases.filter(risk_level=RiskLevel.URGENT, status=CaseStatus.OPEN).exists()
            assert Incident.objects.filter(case__in=cases).count() == 1
            assert SafetyPlan.objects.filter(case__in=cases).exists()
            assert set(cases.values_list("stage", flat=True)) >= {"intake", "assessment", "closure"}
            # Three administrations of WHO-5 and PHQ-9 on one case, improving.
            who5 = list(
                MeasureResult.objects.filter(case__in=cases, instrument="who5")
                .order_by("administered_on")
                .values_list("score", flat=True)
            )
            assert len(who5) == 3 and who5 == sorted(who5) and who5[0] < who5[-1]
            # The caseworker's day has something in every list.
            day = work.today_for(caseworker, access.visible_cases(caseworker), today)
            assert day.urgent and day.due_contacts and day.overdue_actions
            assert day.returned and day.pending
            # The urgent case's approval is pending and its supervisor was told.
            supervisor = User.objects.get(
                organization=caseworker.organization, role="supervisor", is_demo=True
            )
            assert ApprovalRequest.objects.filter(
                case__in=cases, state=ApprovalState.PENDING, kind="assessment"
            ).exists()
            assert supervisor in access.supervisors_of(caseworker.organization_id)

    def test_demo_notifications_are_real(self) -> None:
        supervisor = User.objects.get(email="supervision.care@ruta.example.org")
        kinds = set(
            Notification.objects.filter(recipient=supervisor).values_list("kind", flat=True)
        )
        assert {NotificationKind.URGENT_RISK, NotificationKind.APPROVAL_REQUESTED} <= kinds
        caseworker = User.objects.get(email="gestion.care@ruta.example.org")
        kinds = set(
            Notification.objects.filter(recipient=caseworker).values_list("kind", flat=True)
        )
        assert {NotificationKind.APPROVED, NotificationKind.RETURNED} <= kinds

    def test_demo_data_is_encrypted_at_rest(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT given_names, family_names, alias, phone, address, document_number, code_word "
                "FROM cases_client"
            )
            rows = cursor.fetchall()
            cursor.execute("SELECT description FROM cases_incident")
            rows += cursor.fetchall()
            cursor.execute("SELECT note FROM cases_followup")
            rows += cursor.fetchall()
        assert rows
        for row in rows:
            for value in row:
                assert value == "" or value.startswith("f1:")
                assert "Ejemplo" not in value and "DEMO-" not in value and "+51" not in value
        # ... and read back in clear through the model.
        aliases = {c.alias for c in Client.objects.all()}
        assert {"Ejemplo 1", "Ejemplo 12"} <= aliases

    def test_demo_names_are_fictional_and_stay_out_of_the_audit(self) -> None:
        # A helpline caller handed over by the demo desk gave no name: the case has none.
        for client in Client.objects.exclude(given_names="", family_names=""):
            assert client.given_names == "Persona"
            assert client.family_names.startswith("Ejemplo ")
            assert client.document_number in ("",) or client.document_number.startswith("DEMO-")
        details = " ".join(str(d) for d in AuditEvent.objects.values_list("details", flat=True))
        assert "Ejemplo" not in details and "DEMO-" not in details

    def test_remove_demo_removes_the_demo_cases_first(self) -> None:
        assert Case.objects.exists()
        call_command("remove_demo", stdout=io.StringIO())
        assert not Case.objects.exists()
        assert not Client.objects.exists()
        assert not User.objects.filter(is_demo=True).exists()
        assert remove_case_demo() == 0

    def test_remove_demo_keeps_a_real_case_held_by_a_demo_account(self) -> None:
        demo_worker = User.objects.get(email="gestion.care@ruta.example.org")
        real_supervisor = make_user(
            "real.supervisor@test.org", "supervisor", demo_worker.organization
        )
        real = make_case(demo_worker, actor=real_supervisor)
        call_command("remove_demo", stdout=io.StringIO())
        assert list(Case.objects.all()) == [real]
        demo_worker.refresh_from_db()
        assert not demo_worker.is_active and not demo_worker.is_demo


def test_no_demo_cases_for_a_real_account_with_a_demo_address(world: Any) -> None:
    make_user("gestion.care@ruta.example.org", "caseworker", world.care)
    _load()
    real = User.objects.get(email="gestion.care@ruta.example.org")
    assert not Case.objects.filter(caseworker=real).exists()
    assert Case.objects.filter(caseworker__email="gestion.hias@ruta.example.org").count() == 6
