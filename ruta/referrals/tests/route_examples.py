"""URL arguments for the referral routes (see test_route_permissions).

A referral from a case of caseworker.care to a HIAS service: caseworker.care and
supervisor.care stand on the sending side and see it; receiving steps answer 409.
"""

from __future__ import annotations

from typing import Any

from ruta.referrals.tests.factories import make_referral


def examples(world: Any) -> dict[str, dict[str, Any]]:
    cached = getattr(world, "_referral_examples", None)
    if cached is not None:
        return cached
    referral = make_referral(world)
    one = {"referral_uuid": referral.uuid}
    printed = make_referral(world, service=_printed_service(world))
    found: dict[str, dict[str, Any]] = {
        "referrals:pick": {"kwargs": {"case_uuid": referral.case.uuid}},
        "referrals:send": {
            "kwargs": {"case_uuid": referral.case.uuid, "service_uuid": referral.service.uuid}
        },
        "referrals:detail": {"kwargs": one},
        "referrals:accept": {"kwargs": one, "method": "post", "data": {"case_type": "gbv"}},
        "referrals:decline": {
            "kwargs": one,
            "method": "post",
            "data": {"reason": "no_capacity"},
        },
        "referrals:assign": {"kwargs": one, "method": "post", "data": {}},
        "referrals:complete": {
            "kwargs": one,
            "method": "post",
            "data": {"outcome": "provided", "feedback": "ok"},
        },
        "referrals:revoke": {"kwargs": one, "method": "post", "data": {}},
        "referrals:form_pdf": {"kwargs": {"referral_uuid": printed.uuid}, "method": "post"},
        "referrals_api:referral-detail": {"kwargs": {"uuid": referral.uuid}},
        "referrals_api:referral-accept": {"kwargs": {"uuid": referral.uuid}, "method": "post"},
        "referrals_api:referral-decline": {"kwargs": {"uuid": referral.uuid}, "method": "post"},
        "referrals_api:referral-complete": {"kwargs": {"uuid": referral.uuid}, "method": "post"},
        "referrals_api:referral-revoke": {"kwargs": {"uuid": printed.uuid}, "method": "post"},
    }
    world._referral_examples = found
    return found


def _printed_service(world: Any) -> Any:
    """A service of an organization with no supervisor on Ruta: the printed channel."""
    from ruta.directory.tests.factories import make_service

    return make_service(world.outsider_org, "Servicio fuera de Ruta")
