"""URL arguments and methods for the foundation's routes (see test_route_permissions)."""

from __future__ import annotations

from typing import Any

POST = {"method": "post"}


def examples(world: Any) -> dict[str, dict[str, Any]]:
    target = {"user_uuid": world.user("caseworker.care").uuid}
    return {
        "accounts:user_detail": {"kwargs": target},
        "accounts:user_role": {"kwargs": target, "method": "post", "data": {"role": "helpline"}},
        "accounts:user_active": {"kwargs": target, "method": "post", "data": {"active": "1"}},
        "accounts:user_reset_2fa": {"kwargs": target, **POST},
        "accounts:user_resend_invite": {"kwargs": target, **POST},
        "agencies:organization_detail": {"kwargs": {"org_uuid": world.care.uuid}},
        "agencies:organization_edit": {"kwargs": {"org_uuid": world.care.uuid}},
        "agencies:organization_retention": {"kwargs": {"org_uuid": world.care.uuid}},
        "accounts:password_reset_confirm": {"kwargs": {"uidb64": "MQ", "token": "set-password"}},
        "accounts:logout": POST,
        "accounts:recovery_codes": POST,
        "accounts:logout_everywhere": POST,
        "set_language": {"method": "post", "data": {"language": "es"}},
        "api:token": POST,
        "api:logout": POST,
    }
