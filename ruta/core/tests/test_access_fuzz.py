"""Property: a user who may not see (part of) a case never meets it in any response.

Over the world of ``access_world`` (two agencies with every role, an outsider, cases in
every state, referrals, transfers, conferences), hypothesis draws (user, route, object)
triples: every route of the URL resolver, object-taking ones with ids of the world's
objects (the other agency's included), lists and searches with a query for a case code.
Each GET's body (HTML, JSON, CSV, XLSX, PDF, ICS, ZIP, and the headers) is searched for
every marker the independent oracle says the user may not see. A deterministic pass then
asks every case-role user for every case, referral, transfer and conference.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import verified_login
from ruta.cases.models import ApprovalRequest, Assessment, Consent, Goal, PlanAction
from ruta.core.tests import access_world
from ruta.core.tests.routes import _example_modules, route_rule
from ruta.lib.permissions import Cap

# --- Routes -------------------------------------------------------------------------------
# The kind of object a URL argument names: by its name, or for a bare ``uuid`` by the path
# segment before it ("goals/<uuid:uuid>/" names a goal).
KIND_BY_KWARG = {
    "case_uuid": "case",
    "consent_uuid": "consent",
    "assessment_uuid": "assessment",
    "goal_uuid": "goal",
    "action_uuid": "action",
    "approval_uuid": "approval",
    "referral_uuid": "referral",
    "transfer_uuid": "transfer",
    "conference_uuid": "conference",
    "service_uuid": "service",
}
KIND_BY_SEGMENT = {
    "cases": "case",
    "consents": "consent",
    "goals": "goal",
    "actions": "action",
    "approvals": "approval",
    "referrals": "referral",
    "transfers": "transfer",
    "conferences": "conference",
    "services": "service",
}
ARGUMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    rule: Any

    def kinds(self) -> dict[str, str | None]:
        """Each URL argument and the kind of world object it takes (None: not ours)."""
        found: dict[str, str | None] = {}
        for match in ARGUMENT.finditer(self.pattern):
            name = match["name"]
            kind = KIND_BY_KWARG.get(name)
            if name == "uuid":
                segment = self.pattern[: match.start()].rstrip("/").rsplit("/", 1)[-1]
                kind = KIND_BY_SEGMENT.get(segment)
            found[name] = kind
        return found

    @property
    def group(self) -> str:
        """Which group hypothesis draws the route from: each group is as likely as any
        other, so the few routes of a kind are not drowned by the many of the others."""
        kinds = set(self.kinds().values()) - {None}
        for kind in ("referral", "transfer", "conference"):
            if kind in kinds:
                return f"{kind} routes"
        if kinds - {"service"}:
            return "case routes"  # the case or one of its records
        case_rule = self.rule in (Cap.VIEW_CASES, Cap.SUPERVISE_CASES)
        if case_rule and self.pattern.startswith("api/"):
            return "case API lists"
        if case_rule:
            return "case lists and pages"
        return "other routes"


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name, prefix + str(entry.pattern), route_rule(entry.callback))


ROUTES = sorted(
    {route.name: route for route in _walk(get_resolver().url_patterns)}.values(),
    key=lambda route: route.name,
)


# --- The world's objects as URL arguments ---------------------------------------------------
@dataclass(frozen=True)
class Target:
    """One request: a route with its arguments (and query), and what they name."""

    route: str
    kwargs: tuple[tuple[str, Any], ...]
    query: str
    about: str
    echo: str = ""  # the code the query asks for: the page may repeat what was typed
    case: Any = None  # the uuid of the case the object belongs to

    def url(self) -> str:
        return reverse(self.route, kwargs=dict(self.kwargs)) + self.query


def _objects(w: access_world.AccessWorld) -> dict[str, list[tuple[str, Any, Any]]]:
    """kind -> [(label, uuid, case uuid or None)] for every object of the world."""
    by_case = {facts.case.pk: key for key, facts in w.cases.items()}
    cases = list(by_case)
    found: dict[str, list[tuple[str, Any, Any]]] = {
        "case": [(f"case {key}", f.case.uuid, f.case.uuid) for key, f in w.cases.items()],
        "referral": [(f"referral {k}", r.uuid, r.case.uuid) for k, r in w.referrals.items()],
        "transfer": [(f"transfer {k}", t.uuid, t.case.uuid) for k, t in w.transfers.items()],
        "conference": [(f"conference {k}", c.uuid, c.case.uuid) for k, c in w.conferences.items()],
        "service": [(f"service {k}", s.uuid, None) for k, s in w.services.items()],
    }
    for kind, model, path in (
        ("consent", Consent, "case"),
        ("assessment", Assessment, "case"),
        ("goal", Goal, "plan__case"),
        ("action", PlanAction, "case"),
        ("approval", ApprovalRequest, "case"),
    ):
        rows = model.objects.filter(**{f"{path}__in": cases}).values_list(
            "uuid", f"{path}__pk", f"{path}__uuid"
        )
        found[kind] = [
            (f"{kind} of case {by_case[pk]}", uuid, case_uuid) for uuid, pk, case_uuid in rows
        ]
    return found


def route_examples(base: Any) -> dict[str, dict[str, Any]]:
    """The URL arguments of ``ruta/*/tests/route_examples*.py``, for the routes whose
    objects are not the world's (meetings, courses, pathways...): each module built once."""
    found: dict[str, dict[str, Any]] = {}
    for module in _example_modules():
        found.update(module.examples(base))
    return found


def targets(
    w: access_world.AccessWorld, examples: dict[str, dict[str, Any]]
) -> dict[str, list[Target]]:
    """For each route, the requests to draw from."""
    objects = _objects(w)
    # Lists and searches are asked for each case's code and its client's given names.
    queries = [(f"the code of case {key}", f.case.code, f) for key, f in w.cases.items()] + [
        (f"the client's name of case {key}", f.markers["given_names"].value, f)
        for key, f in w.cases.items()
        if "given_names" in f.markers
    ]
    found: dict[str, list[Target]] = {}
    for route in ROUTES:
        kinds = route.kinds()
        example = dict(examples.get(route.name, {}).get("kwargs", {}))
        unknown = [name for name, kind in kinds.items() if kind is None and name not in example]
        assert not unknown, f"{route.name}: no route example gives {unknown}"
        ours = {name: kind for name, kind in kinds.items() if kind is not None}
        fixed = tuple((name, example[name]) for name in kinds if kinds[name] is None)
        narrowed = examples.get(route.name, {}).get("query", "")
        if not ours:
            start, search = (f"?{narrowed}", f"?{narrowed}&") if narrowed else ("", "?")
            found[route.name] = [Target(route.name, fixed, start, "no object")] + [
                Target(
                    route.name,
                    fixed,
                    f"{search}q={value}&search={value}",
                    f"query for {what}",
                    echo=value,
                    case=facts.case.uuid,
                )
                for what, value, facts in queries
            ]
            continue
        # The first argument ranges over the world; the others follow its case (so nested
        # routes get matching objects) or, with no match, take any object of their kind.
        names = list(ours)
        lead = names[0]
        choices: list[Target] = []
        for label, uuid, case_uuid in objects[ours[lead]]:
            kwargs = {lead: uuid}
            for name in names[1:]:
                pool = objects[ours[name]]
                matching = [o for o in pool if o[2] == case_uuid and o[1] != uuid] or pool
                kwargs[name] = matching[0][1]
            choices.append(
                Target(route.name, fixed + tuple(kwargs.items()), "", label, case=case_uuid)
            )
        found[route.name] = choices
    return found


# --- Reading a response ---------------------------------------------------------------------------
XLSX = "spreadsheetml"


def _xlsx_text(content: bytes) -> str:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    book.close()
    return "\n".join(cells)


def _pdf_text(content: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-", "-"],  # noqa: S607
        input=content,
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:  # not a PDF we can read (a test file): search the bytes
        return content.decode("latin-1")
    return done.stdout.decode("utf-8", "replace")


def _zip_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(
            _decoded(archive.read(name), "xlsx" if name.endswith(".xlsx") else "")
            for name in archive.namelist()
        )


def _decoded(content: bytes, content_type: str) -> str:
    if content.startswith(b"%PDF") or "pdf" in content_type:
        return _pdf_text(content)
    if XLSX in content_type or content_type == "xlsx":
        return _xlsx_text(content)
    if content.startswith(b"PK\x03\x04"):
        return _zip_text(content)
    return content.decode("utf-8", "replace")


def searchable(response: Any) -> str:
    """Headers and body of ``response`` as lower-case text, whatever its format."""
    content = (
        b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    )
    text = _decoded(content, response.get("Content-Type", ""))
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
    return f"{headers}\n{text}".lower()


# The audit trail names what it records by codes and ids (never names, contacts or
# narratives): its readers may meet a case's code there, and nothing else of the case.
CODES_ALLOWED = frozenset({"audit:event_list"})


def _excused(marker: access_world.Marker, target: Target) -> bool:
    if marker.value == target.echo:
        return True  # the query the user typed, repeated in the page
    return target.route in CODES_ALLOWED and marker.label == "case code"


# --- The check ------------------------------------------------------------------------------------
class Fuzz:
    """The world, one logged-in client per user, and the check of one request."""

    def __init__(self, base: Any) -> None:
        examples = route_examples(base)  # first, so that they build their own cases
        self.world = access_world.build(base)
        self.targets = targets(self.world, examples)
        self.groups: dict[str, list[str]] = {}
        for route in ROUTES:
            if route.name in self.targets:
                self.groups.setdefault(route.group, []).append(route.name)
        # The people with some view of each case (its team, a referral's receiver, a
        # transfer's other agency, a conference's participants), drawn half of the time
        # for its objects: most partial views are theirs.
        self.parties: dict[Any, list[str]] = {
            facts.case.uuid: [
                key
                for key, user in sorted(base.users.items())
                if any(marker.visible_to(user) for marker in facts.markers.values())
            ]
            for facts in self.world.cases.values()
        }
        self.clients: dict[str, Client] = {}
        self.forbidden = {key: self.world.forbidden(user) for key, user in base.users.items()}

    def client(self, user_key: str) -> Client:
        if user_key not in self.clients:
            self.clients[user_key] = verified_login(Client(), self.world.users[user_key])
        return self.clients[user_key]

    def check(self, user_key: str, target: Target) -> Any:
        url = target.url()
        response = self.client(user_key).get(url)
        assert response.status_code < 500, (user_key, url, response.status_code)
        text = searchable(response)
        leaked = [
            m
            for m in self.forbidden[user_key]
            if m.value.lower() in text and not _excused(m, target)
        ]
        assert not leaked, (
            f"{user_key} got, from GET {url} (route {target.route}, {target.about}, "
            f"status {response.status_code}): "
            + "; ".join(f"{m.label} of case {m.case} ({m.value!r})" for m in leaked)
        )
        return response


@pytest.fixture
def fuzz(world: Any) -> Iterator[Fuzz]:
    built = Fuzz(world)
    yield built
    # No GET logged anybody out or dropped their second factor: every request above was
    # made as the user it names.
    for user_key, client in built.clients.items():
        assert client.get(reverse("api:me")).status_code == 200, user_key


EXAMPLES = 300


@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_nobody_meets_a_case_they_may_not_see(fuzz: Fuzz, data: st.DataObject) -> None:
    group = data.draw(st.sampled_from(sorted(fuzz.groups)), label="group")
    route = data.draw(st.sampled_from(fuzz.groups[group]), label="route")
    target = data.draw(st.sampled_from(fuzz.targets[route]), label="target")
    anyone = st.sampled_from(sorted(fuzz.world.users))
    parties = fuzz.parties.get(target.case)
    user_key = data.draw(anyone | st.sampled_from(parties) if parties else anyone, label="user")
    response = fuzz.check(user_key, target)
    event(f"{group}: {response.status_code}")


# Detail routes of each kind of object, asked by every case-role user for every object.
DETAIL_ROUTES = (
    "cases:case_detail",
    "cases_api:case-detail",
    "referrals:detail",
    "referrals_api:referral-detail",
    "referrals:form_pdf",
    "transfers:detail",
    "transfers_api:transfer-detail",
    "transfers:transferred_out",
    "conferences:conference_detail",
    "conferences_api:conference-detail",
)
API_LISTS = [
    route.name
    for route in ROUTES
    if route.pattern.startswith("api/v1/") and route.name.endswith("-list") and not route.kinds()
]


def test_every_user_against_every_object(fuzz: Fuzz) -> None:
    """Deterministic: every case-role user by every object by its detail routes, and every
    user by the API's list endpoints. First, the search is shown not to be blind: the
    case team finds its client's name and the code in the page and the API."""
    users = fuzz.world.users
    for key, facts in fuzz.world.cases.items():
        if "given_names" not in facts.markers:
            continue
        member = next(user_key for user_key, user in users.items() if facts.team.sees(user))
        for route, label in (
            ("cases:case_detail", "given_names"),
            ("cases_api:case-detail", "family_names"),
        ):
            target = Target(
                route, (("uuid" if "api" in route else "case_uuid", facts.case.uuid),), "", key
            )
            text = searchable(fuzz.check(member, target))
            assert facts.markers[label].value in text, (member, route, key)
            assert facts.case.code.lower() in text, (member, route, key)
    case_roles = [
        key for key, user in sorted(users.items()) if user.role in access_world.CASE_ROLES
    ]
    checked = 0
    for name in DETAIL_ROUTES:
        for target in fuzz.targets[name]:
            for user_key in case_roles:
                fuzz.check(user_key, target)
                checked += 1
    for name in API_LISTS:
        for target in fuzz.targets[name][:1]:  # no query
            for user_key in sorted(users):
                fuzz.check(user_key, target)
                checked += 1
    assert checked > 500, checked
