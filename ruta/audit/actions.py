"""The one way to write to the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ruta.audit.models import AuditEvent
from ruta.lib.bulk import insert_rows

if TYPE_CHECKING:
    from django.http import HttpRequest


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address as the lockout (axes) sees it, behind the configured proxies."""
    if request is None:
        return None
    from axes.helpers import get_client_ip_address

    ip = get_client_ip_address(request)
    return ip or None


def _event(
    action: str,
    *,
    actor: Any = None,
    request: HttpRequest | None = None,
    obj: Any = None,
    object_type: str = "",
    object_uuid: uuid.UUID | None = None,
    organization: Any = None,
    details: dict[str, Any] | None = None,
    on_behalf_of: Any = None,
) -> AuditEvent:
    """The unsaved event ``record`` appends (see there)."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            actor = user
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_uuid = object_uuid or getattr(obj, "uuid", None)
    if organization is None and actor is not None:
        organization = getattr(actor, "organization", None)
    if on_behalf_of is not None and actor is not None and on_behalf_of.pk == actor.pk:
        on_behalf_of = None
    user_agent = ""
    if request is not None:
        user_agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    return AuditEvent(
        action=action,
        actor=actor,
        actor_email=getattr(actor, "email", "") or "",
        on_behalf_of=on_behalf_of,
        on_behalf_of_email=getattr(on_behalf_of, "email", "") or "",
        organization=organization,
        object_type=object_type,
        object_uuid=object_uuid,
        ip_address=client_ip(request),
        user_agent=user_agent,
        details=details or {},
    )


def record(
    action: str,
    *,
    actor: Any = None,  # a User (accounts sits above audit), or None: the request's user
    request: HttpRequest | None = None,
    obj: Any = None,
    object_type: str = "",
    object_uuid: uuid.UUID | None = None,
    organization: Any = None,
    details: dict[str, Any] | None = None,
    on_behalf_of: Any = None,
) -> AuditEvent:
    """Append one event. ``actor`` defaults to the request's user; ``obj`` supplies type and id.

    ``on_behalf_of`` names the user whose record or work the actor acted on, when that is
    somebody else (ignored when it is the actor). ``details`` must hold codes, ids and
    counts only, never names, contacts or narratives.
    """
    event = _event(
        action,
        actor=actor,
        request=request,
        obj=obj,
        object_type=object_type,
        object_uuid=object_uuid,
        organization=organization,
        details=details,
        on_behalf_of=on_behalf_of,
    )
    event.save(force_insert=True)
    return event


def record_many(events: Iterable[dict[str, Any]]) -> int:
    """Append many events at once (the keyword arguments of ``record`` for each), in
    their order: a bulk write, such as an import, audits every object it wrote without
    one INSERT per object. Returns how many were appended."""
    made = [_event(**event) for event in events]
    insert_rows(AuditEvent, made)
    return len(made)


def record_denial(request: HttpRequest, rule: str) -> AuditEvent:
    return record(
        "permission.denied",
        request=request,
        details={"path": request.path[:200], "method": request.method, "rule": rule},
    )
