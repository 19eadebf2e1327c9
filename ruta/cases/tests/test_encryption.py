"""Personal data is encrypted at rest, duplicates are found by keyed hash, keys rotate."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from ruta.cases import actions
from ruta.cases.models import (
    ApprovalKind,
    Assessment,
    Case,
    Client,
    Closure,
    ConsentPurpose,
    FollowUp,
    Goal,
    Incident,
    PlanAction,
    SafetyPlan,
)
from ruta.cases.tests.factories import answers_for, client_fields, give_consent
from ruta.lib.fields import PREFIX, EncryptedTextField, encrypted_fields

pytestmark = [pytest.mark.django_db, pytest.mark.dates]

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()

# One distinctive plain text per encrypted field, so a leak anywhere is found by a grep.
SECRETS = {
    "given_names": "Zorayda-secret-given",
    "family_names": "Quintanilla-secret-family",
    "alias": "Lulu-secret-alias",
    "phone": "+51 987 654 321",
    "address": "Jr. Secreto 777, Breña",
    "document_type": "passport",
    "document_number": "AB-123",
    "safe_times": "secret-safe-times",
    "code_word": "secret-mariposa",
    "risk_reason": "secret-risk-reason",
    "withdrawal_note": "secret-withdrawal-note",
    "incident": "secret-incident-narrative",
    "narrative": "secret-assessment-narrative",
    "goal": "secret-goal",
    "action": "secret-action",
    "pros": "secret-pros",
    "cons": "secret-cons",
    "risks": "secret-risks",
    "strategies": "secret-strategies",
    "safe_people": "secret-safe-people",
    "safe_places": "secret-safe-places",
    "other_numbers": "secret-other-numbers",
    "note": "secret-follow-up-note",
    "return_comment": "secret-return-comment",
    "closure_note": "secret-closure-note",
    "reopen_reason": "secret-reopen-reason",
    "risk_override_reason": "secret-risk-override-reason",
}
# document_type is a code, not a secret worth grepping for ("passport" is in choices).
GREPPED = [v for k, v in SECRETS.items() if k != "document_type"] + ["AB123"]


def full_case(world: Any) -> Case:
    """A case with every encrypted field of every case model filled, through the actions."""
    cw, sup = world.user("caseworker.care"), world.user("supervisor.care")
    fields = client_fields(
        **{
            k: SECRETS[k]
            for k in (
                "given_names",
                "family_names",
                "alias",
                "phone",
                "address",
                "document_type",
                "document_number",
                "safe_times",
                "code_word",
            )
        }
    )
    case = actions.register_case(
        cw,
        client_fields=fields,
        case_type="gbv",
        risk_level="high",
        risk_reason=SECRETS["risk_reason"],
    )
    give_consent(cw, case)
    reporting = give_consent(cw, case, ConsentPurpose.REPORTING)
    actions.withdraw_consent(cw, reporting, SECRETS["withdrawal_note"])
    actions.record_incident(
        cw,
        case,
        answers=answers_for("rape"),
        confirmed_type="rape",
        date=timezone.localdate() - dt.timedelta(days=3),
        setting="home",
        perpetrator="partner",
        description=SECRETS["incident"],
    )
    assessment = actions.add_assessment(
        cw, case, needs={"safety": "high"}, risk_level="high", narrative=SECRETS["narrative"]
    )
    approval = actions.request_approval(cw, case, ApprovalKind.ASSESSMENT, assessment.uuid)
    actions.decide_approval(sup, approval, approve=False, comment=SECRETS["return_comment"])
    goal = actions.add_goal(cw, case, need="safety", description=SECRETS["goal"])
    actions.add_plan_action(
        cw,
        case,
        goal,
        description=SECRETS["action"],
        responsible="Gestión",
        pros=SECRETS["pros"],
        cons=SECRETS["cons"],
    )
    actions.save_safety_plan(
        cw, case, fields={k: SECRETS[k] for k in actions.SAFETY_FIELDS}, next_review_on=None
    )
    actions.add_follow_up(cw, case, kind="call", note=SECRETS["note"])
    actions.record_measure(cw, case, instrument="gad7", answers=[1] * 7)
    actions.set_risk(cw, case, "urgent", SECRETS["risk_reason"])  # closes only with a reason
    closure = actions.request_closure(
        cw, case, reason="needs_met", satisfaction="satisfied", note=SECRETS["closure_note"]
    )
    actions.decide_approval(
        sup,
        case.approvals.get(kind=ApprovalKind.CLOSURE, target_uuid=closure.uuid),
        approve=True,
        risk_override_reason=SECRETS["risk_override_reason"],
    )
    case.refresh_from_db()
    actions.reopen_case(cw, case, SECRETS["reopen_reason"])
    return case


def encrypted_models() -> list[Any]:
    """The case app's models with encrypted fields (other apps test their own)."""
    return [m for m in apps.get_app_config("cases").get_models() if encrypted_fields(m)]


def raw_rows(model: Any, columns: list[str] | None = None) -> list[tuple[Any, ...]]:
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns) if columns else "*"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {cols} FROM {qn(model._meta.db_table)}")  # noqa: S608
        return list(cursor.fetchall())


def encrypted_columns(model: Any) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def all_tables_text() -> str:
    """Every row of every table, as one string (the fixture database is small)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.append(repr(cursor.fetchall()))
    return "\n".join(chunks)


def test_every_case_model_with_personal_text_is_covered() -> None:
    labels = {m.__name__ for m in encrypted_models()}
    assert labels >= {
        "Client",
        "Case",
        "Consent",
        "Incident",
        "Assessment",
        "Goal",
        "PlanAction",
        "SafetyPlan",
        "FollowUp",
        "Closure",
        "ApprovalRequest",
    }


def test_the_database_never_holds_personal_data_in_clear(world: Any) -> None:
    full_case(world)
    for model in encrypted_models():
        columns = encrypted_columns(model)
        rows = raw_rows(model, columns)
        assert rows, f"no {model.__name__} rows were created"
        for column_index, column in enumerate(columns):
            values = [row[column_index] for row in rows]
            # The fixture fills every encrypted column at least once ...
            assert any(values), f"{model.__name__}.{column} never filled in this test"
            # ... and whatever is there is a token.
            for value in values:
                assert value == "" or value.startswith(PREFIX), (model.__name__, column)
    # Nowhere in the database (audit, notifications, JSON columns included).
    everything = all_tables_text()
    for secret in GREPPED:
        assert secret not in everything, secret
        assert secret.lower() not in everything.lower(), secret


def test_the_models_read_back_in_clear(world: Any) -> None:
    case = full_case(world)
    client = Client.objects.get(pk=case.client_id)
    assert client.given_names == SECRETS["given_names"]
    assert client.phone == SECRETS["phone"]
    assert client.code_word == SECRETS["code_word"]
    assert Incident.objects.get(case=case).description == SECRETS["incident"]
    assert Assessment.objects.get(case=case).narrative == SECRETS["narrative"]
    assert FollowUp.objects.get(case=case).note == SECRETS["note"]
    assert SafetyPlan.objects.get(case=case).safe_people == SECRETS["safe_people"]
    assert Closure.objects.get(case=case).reopen_reason == SECRETS["reopen_reason"]
    closure = Closure.objects.get(case=case)
    assert closure.risk_override_reason == SECRETS["risk_override_reason"]


def test_the_same_text_encrypts_differently_each_time(world: Any) -> None:
    cw = world.user("caseworker.care")
    actions.register_case(cw, client_fields={"phone": "+51 999 999 999"}, case_type="gbv")
    actions.register_case(cw, client_fields={"phone": "+51 999 999 999"}, case_type="gbv")
    tokens = [row[0] for row in raw_rows(Client, ["phone"])]
    assert len(set(tokens)) == 2


def test_document_hash_finds_duplicates_across_formatting_not_agencies(world: Any) -> None:
    cw = world.user("caseworker.care")
    actions.register_case(
        cw,
        client_fields={"document_number": "AB-123", "document_type": "passport"},
        case_type="gbv",
    )
    assert actions.duplicate_client_exists(world.care.pk, "AB-123")
    assert actions.duplicate_client_exists(world.care.pk, "ab 123")
    assert actions.duplicate_client_exists(world.care.pk, " a.b/1-2-3 ")
    assert not actions.duplicate_client_exists(world.care.pk, "AB-124")
    assert not actions.duplicate_client_exists(world.care.pk, "")
    assert not actions.duplicate_client_exists(world.hias.pk, "AB-123")
    # The stored hash is keyed: not the plain SHA-256 of the number.
    stored = raw_rows(Client, ["document_hash"])[0][0]
    assert stored and stored != hashlib.sha256(b"AB123").hexdigest()
    assert "AB123" not in stored


def test_key_rotation_keeps_everything_readable(world: Any) -> None:
    with override_settings(RUTA_FIELD_KEYS=[KEY_A]):
        case = full_case(world)
        before = raw_rows(Client, ["phone", "document_hash"])
        assert actions.duplicate_client_exists(world.care.pk, "ab 123")
    with override_settings(RUTA_FIELD_KEYS=[KEY_B, KEY_A]):
        call_command("rotate_field_keys", stdout=io.StringIO())
    after = raw_rows(Client, ["phone", "document_hash"])
    assert after[0][0] != before[0][0]
    assert after[0][1] != before[0][1]
    with override_settings(RUTA_FIELD_KEYS=[KEY_B]):
        client = Client.objects.get(pk=case.client_id)
        assert client.given_names == SECRETS["given_names"]
        assert client.document_number == SECRETS["document_number"]
        assert Incident.objects.get(case=case).description == SECRETS["incident"]
        assert PlanAction.objects.get(case=case).cons == SECRETS["cons"]
        assert Goal.objects.get(plan__case=case).description == SECRETS["goal"]
        assert case.approvals.get(kind="assessment").comment == SECRETS["return_comment"]
        for model in encrypted_models():
            list(model.objects.all())  # every row of every model opens with B alone
        assert actions.duplicate_client_exists(world.care.pk, "AB-123")
        assert actions.duplicate_client_exists(world.care.pk, "ab 123")
        assert not actions.duplicate_client_exists(world.hias.pk, "ab 123")
    # The old key alone no longer opens anything.
    with override_settings(RUTA_FIELD_KEYS=[KEY_A]), pytest.raises(InvalidToken):
        Client.objects.get(pk=case.client_id)


def test_a_wrong_key_fails_loudly(world: Any) -> None:
    with override_settings(RUTA_FIELD_KEYS=[KEY_A]):
        case = actions.register_case(
            world.user("caseworker.care"), client_fields={"phone": "+51 1"}, case_type="gbv"
        )
    with override_settings(RUTA_FIELD_KEYS=[KEY_B]), pytest.raises(InvalidToken):
        Client.objects.get(pk=case.client_id)


def test_an_unencrypted_value_in_an_encrypted_column_raises(world: Any) -> None:
    case = actions.register_case(
        world.user("caseworker.care"), client_fields={"phone": "+51 1"}, case_type="gbv"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_client SET phone = %s WHERE id = %s", ["+51 1", case.client_id]
        )
    with pytest.raises(ValueError, match="not encrypted"):
        Client.objects.get(pk=case.client_id)


def test_no_key_refuses_to_write(world: Any) -> None:
    with override_settings(RUTA_FIELD_KEYS=[]), pytest.raises(RuntimeError):
        actions.register_case(
            world.user("caseworker.care"), client_fields={"phone": "+51 1"}, case_type="gbv"
        )


def test_the_migration_encrypts_responsible_people_stored_in_clear(world: Any) -> None:
    import importlib

    from ruta.cases.models import PlanAction

    full_case(world)
    action = PlanAction.objects.order_by("pk").first()
    assert action is not None
    table = connection.ops.quote_name(PlanAction._meta.db_table)
    with connection.cursor() as cursor:  # as an older release stored it
        cursor.execute(
            f"UPDATE {table} SET responsible = %s WHERE id = %s",  # noqa: S608
            ["María, su hermana", action.pk],
        )
    migration = importlib.import_module("ruta.cases.migrations.0005_encrypt_action_responsible")

    class Editor:
        pass

    editor = Editor()
    editor.connection = connection  # type: ignore[attr-defined]
    migration.encrypt_existing(apps, editor)
    migration.encrypt_existing(apps, editor)  # twice: tokens are left alone
    assert "María" not in all_tables_text()
    action.refresh_from_db()
    assert action.responsible == "María, su hermana"
