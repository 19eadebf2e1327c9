"""Every GET that shows a case writes an audit event naming it.

Over the access world (every kind of case, referral, transfer and conference), each list
route of the apps that hold cases is asked by every user who sees some case, and each object
route by the people who may see the object. Whenever a response shows a case's code, the
events written by that request must name the case: as the event's object, or among the
``cases`` a list page records (one event per page, not per row). Routes whose object is the
trail itself (the audit log) are left out.

Every other page (the directory, the network, trainings, measures...) is asked by the two
supervisors, who see the most cases of their agencies, and must show no case code at all:
a page that starts showing cases belongs in CASE_APPS, where everybody's reads are checked.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ruta.audit.models import AuditEvent
from ruta.core.tests.test_access_fuzz import ROUTES, Fuzz, searchable

pytestmark = pytest.mark.django_db

NOT_CASE_READS = {"audit:event_list"}  # the trail shows its own ids
OBJECT_TARGETS_PER_ROUTE = 2
# The apps whose pages may show a case (a route's namespace, without ``_api``).
CASE_APPS = frozenset(
    {
        "cases",
        "conferences",
        "exports",
        "helpline",
        "notifications",
        "referrals",
        "stabilisation",
        "transfers",
    }
)
WIDEST_READERS = ("supervisor.care", "supervisor.hias")


@pytest.fixture
def fuzz(world: Any) -> Iterator[Fuzz]:
    yield Fuzz(world)


def _named(events: list[AuditEvent]) -> set[str]:
    """The case ids (uuid or code) the events name: their object, a ``case`` or ``cases``."""
    found = {str(event.object_uuid) for event in events if event.object_uuid}
    for event in events:
        found.update(str(uuid).lower() for uuid in event.details.get("cases", []))
        if event.details.get("case"):
            found.add(str(event.details["case"]).lower())
    return found


def _forget_messages(client: Any) -> None:
    client.cookies.pop("messages", None)
    session = client.session
    if session.pop("_messages", None) is not None:
        session.save()


def test_every_case_shown_is_audited(fuzz: Fuzz) -> None:
    by_code = {facts.case.code.lower(): facts for facts in fuzz.world.cases.values()}
    # Lists are asked by everybody who may see some case: a page that shows a case's code
    # to anybody else is a leak, which test_access_fuzz fails on.
    readers = sorted({user_key for keys in fuzz.parties.values() for user_key in keys})
    assert set(WIDEST_READERS) <= set(readers), readers
    requests: list[tuple[str, Any]] = []
    elsewhere: list[tuple[str, Any]] = []
    for route in ROUTES:
        if route.name in NOT_CASE_READS or route.name not in fuzz.targets:
            continue
        targets = [target for target in fuzz.targets[route.name] if not target.echo]
        if not any(route.kinds().values()):  # a list or a page of no world object
            if route.name.split(":")[0].removesuffix("_api") in CASE_APPS:
                requests += [(user_key, targets[0]) for user_key in readers]
            else:
                elsewhere += [(user_key, targets[0]) for user_key in WIDEST_READERS]
            continue
        for target in targets[:OBJECT_TARGETS_PER_ROUTE]:
            parties = fuzz.parties.get(target.case) or []
            requests += [(user_key, target) for user_key in parties]
    outside: dict[str, set[str]] = {}
    for user_key, target in elsewhere:
        response = fuzz.client(user_key).get(target.url())
        if response.status_code == 200:
            text = searchable(response)
            if shown := {code for code in by_code if code in text}:
                outside.setdefault(target.route, set()).update(shown)
    shown_outside = "\n".join(f"{route}: {sorted(codes)[:3]}" for route, codes in outside.items())
    assert not outside, f"Pages outside CASE_APPS that show cases:\n{shown_outside}"
    missing: dict[str, set[str]] = {}
    for user_key, target in requests:
        client = fuzz.client(user_key)
        _forget_messages(client)  # a flash message from an earlier page is not this read
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(target.url())
        if response.status_code != 200:
            continue
        text = searchable(response)
        shown = {code for code in by_code if code in text}
        if not shown:
            continue
        written = list(AuditEvent.objects.filter(pk__gt=last))
        named = _named(written)
        unnamed = {code for code in shown if not {code, str(by_code[code].case.uuid)} & named}
        if unnamed:
            missing.setdefault(target.route, set()).update(unnamed)
    assert len(requests) > 300, len(requests)
    assert len(elsewhere) > 300, len(elsewhere)
    report = "\n".join(f"{route}: {sorted(codes)[:3]}" for route, codes in sorted(missing.items()))
    assert not missing, f"GETs that show cases without auditing the read:\n{report}"
