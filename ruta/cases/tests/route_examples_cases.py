"""URL arguments for the core case pages (see test_route_permissions).

The example case belongs to CARE and is assigned to ``caseworker.care``, so both that
caseworker and ``supervisor.care`` may open every page; everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from ruta.cases import actions
from ruta.cases.models import Case, Consent, ConsentPurpose


def example_case(world: Any) -> Case:
    """A CARE case assigned to caseworker.care (created once per test database)."""
    caseworker = world.user("caseworker.care")
    case = (
        Case.objects.filter(organization=world.care, caseworker=caseworker).order_by("pk").first()
    )
    if case is None:
        case = actions.register_case(
            caseworker,
            client_fields={"given_names": "Ejemplo", "family_names": "De Rutas", "age": 30},
            case_type="gbv",
        )
    return case


def example_consent(world: Any, case: Case) -> Consent:
    consent = case.consents.filter(purpose=ConsentPurpose.SERVICES).order_by("pk").first()
    if consent is None:
        consent = actions.record_consent(
            world.user("caseworker.care"), case, purpose=ConsentPurpose.SERVICES, method="verbal"
        )
    return consent


def examples(world: Any) -> dict[str, dict[str, Any]]:
    case = example_case(world)
    target = {"case_uuid": case.uuid}
    consent = example_consent(world, case)
    return {
        "cases:case_detail": {"kwargs": target},
        "cases:client_edit": {"kwargs": target},
        "cases:consent_create": {"kwargs": target},
        "cases:consent_withdraw": {"kwargs": {**target, "consent_uuid": consent.uuid}},
        "cases:risk_edit": {"kwargs": target},
        "cases:stage_edit": {"kwargs": target},
        "cases:reassign": {"kwargs": target},
        "cases:closure_create": {"kwargs": target},
        "cases:reopen": {"kwargs": target},
        "cases:storage_choice": {"kwargs": target, "method": "post"},
    }
