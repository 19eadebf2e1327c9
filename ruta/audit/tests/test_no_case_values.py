"""The audit trail names events, ids and field names: never clinical, incident or narrative
values. The platform admin reads and exports the trail without any access to cases.

Two checks: every ``record(...)``/``_audit(...)`` call site in the code uses detail keys
from the reviewed list below (a new key fails until it is reviewed here), and the case
steps that handle sensitive values leave none of them in the trail.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from ruta.audit.models import AuditEvent
from ruta.cases import actions
from ruta.cases.models import GBVType
from ruta.cases.tests.factories import answers_for, make_case

ROOT = Path(__file__).resolve().parents[2]

# Reviewed: each key holds an id, a count, an event or field name, a workflow state or a
# technical fact, never a value about a person's health, an incident or a narrative.
REVIEWED_KEYS = frozenset(
    {
        "account", "action", "added", "after", "agenda_items", "alert", "already", "approval", "assessment",
        "attachment", "attendance", "attended_added", "attended_removed", "callback", "case", "cases", "caseworker",
        "cells", "channel", "choice", "closure", "code", "completed_added", "completed_removed",
        "conferences", "consent", "consent_basis", "contact", "contacts", "count", "course", "created", "decision",
        "done", "dry_run", "due", "enrolled", "enrolment", "errors", "expires_at", "fields", "filters",
        "fingerprint", "follow_up", "from", "goal", "idle_minutes", "in_plan", "incident",
        "issued", "kind", "known_account", "length", "linked", "measure", "meeting", "method",
        "modality", "module", "modules", "network", "new_people", "not_passed", "organization",
        "outcome", "own_request", "owner", "package", "participant", "partner", "path", "peer",
        "person", "plan", "previous", "profile", "public", "purpose", "reason",
        "receiver_case", "recipient", "recipients", "records", "reference", "removed", "removed_modules",
        "role", "rotated", "rows", "rule", "sender_access", "service", "services", "session",
        "size", "snapshot", "source", "stage", "state", "status", "survivor_invited",
        "taxonomy", "to", "tries", "what",
        # Group activities and the 5W: the activity's kind and place in the work, a
        # session's anonymous total, a download's month and format (never a person).
        "activity", "activity_type", "format", "layers", "month", "network_wide",
        "new_participant", "population_type", "replaced", "sector", "total",
        # 5W versions; stabilisation: a beneficiary's uuid, queue movements as counts or
        # flags; statistics: an ISP's audiences (flags), period and threshold.
        "version", "replaces", "beneficiary", "queued", "entered", "left", "audience",
        "period", "threshold", "analysts", "coordinator",
        # Indicators: a framework's and an indicator's codes, how many periods got a target.
        "framework", "indicator", "periods",
        # Area outlines: how many features a file held and which areas' codes got one.
        "features", "areas",
    }
)  # fmt: skip
# Never in the trail, whatever the event: they describe the survivor, not the work.
FORBIDDEN_KEYS = frozenset(
    {"case_type", "risk", "level", "instrument", "score", "flagged", "band", "type", "answers"}
)
CALLS = {"record", "_audit", "audit_event"}
NOT_DETAILS = {"actor", "request", "obj", "organization", "details"}


def _detail_keys() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in CALLS:
                continue
            where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
            for keyword in node.keywords:
                if keyword.arg == "details" and isinstance(keyword.value, ast.Dict):
                    for key in keyword.value.keys:
                        if isinstance(key, ast.Constant):
                            found.setdefault(str(key.value), []).append(where)
                elif name != "record" and keyword.arg and keyword.arg not in NOT_DETAILS:
                    found.setdefault(keyword.arg, []).append(where)
    return found


def test_every_audit_detail_key_is_reviewed() -> None:
    keys = _detail_keys()
    assert len(keys) > 50  # the walk sees the call sites
    forbidden = {key: keys[key] for key in FORBIDDEN_KEYS & set(keys)}
    assert forbidden == {}, f"clinical or incident values in the audit trail: {forbidden}"
    unreviewed = {key: where for key, where in keys.items() if key not in REVIEWED_KEYS}
    assert unreviewed == {}, f"review these audit detail keys, then list them: {unreviewed}"


@pytest.mark.django_db
@pytest.mark.usefixtures("english")
def test_sensitive_case_steps_leave_no_values_in_the_trail(world: Any) -> None:
    worker = world.user("caseworker.care")
    case = make_case(worker)
    actions.set_risk(worker, case, "high", "Amenazas del expareja")
    actions.record_measure(worker, case, instrument="phq9", answers=[3] * 8 + [2])
    actions.record_incident(
        worker,
        case,
        answers=answers_for(GBVType.RAPE),
        confirmed_type=GBVType.RAPE,
        date=dt.date(2026, 11, 1),
        setting="street",
        perpetrator="stranger",
        description="Relato detallado del incidente",
    )
    trail = json.dumps(
        list(AuditEvent.objects.filter(object_uuid=case.uuid).values("action", "details"))
    )
    for value in ("high", "phq9", '"score"', "rape", "Relato", "Amenazas", "gbv", "urgent"):
        assert value not in trail, value
