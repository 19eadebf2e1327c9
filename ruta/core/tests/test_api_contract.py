"""The API honours its own OpenAPI schema (issue #12, section 3).

Schemathesis reads the schema Ruta serves at ``/api/v1/schema/`` from a live server (a
real HTTP server in a thread, as a client sees it), generates requests for every
operation of ``/api/v1/`` from it, sends them with a caseworker's and a supervisor's
token, and checks every answer: no server error, a documented status code, a
documented content type, a body that matches the schema.

The world is seeded with the test factories, and the identifiers in paths are replaced
by those of real objects, so that every route reaches its view and not only its 404.
The generation is derandomized with a fixed budget per operation, so a run is
reproducible; a failure prints the request to replay it.

The HSDS API (``/api/hsds/``) has its own contract tests and is left out here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ruta.accounts.actions import issue_api_token
from ruta.activities.actions import record_attendance, save_counts
from ruta.activities.tests.factories import make_activity, make_session
from ruta.cases.models import ApprovalKind, ConsentPurpose
from ruta.cases.tests.factories import (
    give_consent,
    make_assessment,
    make_case,
    make_follow_up,
    make_incident,
    make_measure,
    make_plan,
    make_safety_plan,
    pending_closure,
)
from ruta.conferences.tests.factories import make_conference
from ruta.directory.models import Location, TaxonomyTerm
from ruta.directory.tests.factories import make_service
from ruta.helpline.tests.factories import make_callback, make_risk_contact
from ruta.indicators.tests.factories import add_line, indicator, make_project
from ruta.measure import facts
from ruta.network.tests.factories import make_meeting, make_network
from ruta.places.models import AdminArea
from ruta.practices.tests.factories import make_practice
from ruta.referrals.tests.factories import make_referral
from ruta.trainings.tests.factories import make_course
from ruta.transfers.actions import request_transfer

# Generated requests per operation and mode (valid, invalid), per role.
MAX_EXAMPLES = 5
HOURS = (dt.time(8, 30), dt.time(17, 0))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# The caseworker's token meets valid and invalid input; the supervisor's, valid input only:
# what the supervisor adds is permissions (approvals, the team's cases), and invalid input
# is refused before any permission is weighed.
MODES = {
    "caseworker.care": (GenerationMode.POSITIVE, GenerationMode.NEGATIVE),
    "supervisor.care": (GenerationMode.POSITIVE,),
}
ROLES = list(MODES)
REVOKES_ITS_TOKEN = {"/api/v1/auth/logout/"}


@dataclass
class Seeded:
    """Real objects of the world, by the path parameter that names them, and a token."""

    ids: dict[tuple[str, str], str]
    token: str
    user: Any = None
    modes: tuple[GenerationMode, ...] = (GenerationMode.POSITIVE,)

    def token_for(self, operation: Any) -> str:
        """The shared token, except for the operation that revokes the token it is called
        with: it gets one of its own, or every operation after it would only meet 401."""
        if operation.path in REVOKES_ITS_TOKEN:
            return issue_api_token(self.user, None)
        return self.token

    def path_parameters(self, operation: Any) -> dict[str, str]:
        """Real objects for the operation's path (a generated UUID only finds 404)."""
        names = [p.name for p in operation.path_parameters]
        found = {n: self.ids.get((operation.path, n)) or self.ids.get(("*", n)) for n in names}
        return {name: value for name, value in found.items() if value is not None}


def _seed(world: Any) -> dict[tuple[str, str], str]:
    caseworker = world.user("caseworker.care")
    supervisor = world.user("supervisor.care")
    case = make_case(caseworker)
    make_incident(caseworker, case)
    make_assessment(caseworker, case)
    _plan, goal, action = make_plan(caseworker, case)
    make_safety_plan(caseworker, case)
    make_follow_up(caseworker, case)
    make_measure(caseworker, case)
    closing = make_case(caseworker)
    pending_closure(caseworker, closing)
    approval = closing.approvals.get(kind=ApprovalKind.CLOSURE)
    consent = case.consents.first()
    assert consent is not None
    referral = make_referral(world)
    conference = make_conference(world)
    moving = make_case(supervisor)
    give_consent(supervisor, moving, ConsentPurpose.SHARE, recipient=world.hias)
    transfer = request_transfer(supervisor, moving, world.hias, "Se muda a Tumbes")
    service = make_service(world.care, "Escucha activa", area="PE-LIM", hours=((1, *HOURS),))
    location = Location.objects.get(service_at_locations__service=service)
    network = make_network(world)
    meeting = make_meeting(network)
    practice = make_practice(world, status="published")
    course = make_course(world.user("coordinator"), network=network)
    desk_contact = make_risk_contact(world.user("helpline.care"))
    callback = make_callback(world.user("helpline.care"), desk_contact)
    project = make_project(world.care)
    add_line(
        project,
        indicator("ruta-network", "R4"),
        [(dt.date(2026, 1, 1), dt.date(2026, 6, 30), "12")],
    )
    term = TaxonomyTerm.objects.order_by("pk").first()
    area = AdminArea.objects.get(code="PE-LIM")
    assert term is not None
    activity = make_activity(caseworker, "Grupo de apoyo", admin1=area, service=service)
    held = make_session(caseworker, activity, dt.date(2026, 3, 5))
    save_counts(caseworker, held, "host", {"women": 4, "lgbtiq": 1})
    record_attendance(caseworker, held, "P-1", {"sex_age": "man", "population_type": "host"})
    facts.refresh([dt.date(2026, 3, 1)])  # the reach API's answers have rows to check
    cases = "/api/v1/cases/{case_uuid}/"
    return {
        ("*", "case_uuid"): str(case.uuid),
        ("/api/v1/cases/{uuid}/", "uuid"): str(case.uuid),
        (f"{cases}consents/{{uuid}}/withdraw/", "uuid"): str(consent.uuid),
        (f"{cases}plan/goals/{{uuid}}/actions/", "uuid"): str(goal.uuid),
        (f"{cases}plan/actions/{{uuid}}/", "uuid"): str(action.uuid),
        (f"{cases}approvals/{{uuid}}/decision/", "uuid"): str(approval.uuid),
        **{
            (f"/api/v1/referrals/{{uuid}}/{step}", "uuid"): str(referral.uuid)
            for step in ("", "accept/", "decline/", "complete/", "revoke/")
        },
        **{
            (f"/api/v1/transfers/{{uuid}}/{step}", "uuid"): str(transfer.uuid)
            for step in ("", "accept/", "decline/", "cancel/")
        },
        ("/api/v1/conferences/{uuid}/", "uuid"): str(conference.uuid),
        ("/api/v1/conferences/{uuid}/acknowledge/", "uuid"): str(conference.uuid),
        ("/api/v1/directory/services/{uuid}/", "uuid"): str(service.uuid),
        ("/api/v1/directory/locations/{uuid}/", "uuid"): str(location.uuid),
        ("/api/v1/directory/taxonomy-terms/{uuid}/", "uuid"): str(term.uuid),
        ("/api/v1/directory/admin-areas/{code}/", "code"): area.code,
        ("*", "slug"): network.slug,
        ("/api/v1/network/meetings/{uuid}/", "uuid"): str(meeting.uuid),
        ("/api/v1/practices/{uuid}/", "uuid"): str(practice.uuid),
        ("/api/v1/trainings/courses/{uuid}/", "uuid"): str(course.uuid),
        ("/api/v1/helpline/contacts/{uuid}/", "uuid"): str(desk_contact.uuid),
        ("/api/v1/helpline/callbacks/{uuid}/", "uuid"): str(callback.uuid),
        ("/api/v1/helpline/contacts/{uuid}/close/", "uuid"): str(desk_contact.uuid),
        ("/api/v1/helpline/callbacks/{uuid}/finish/", "uuid"): str(callback.uuid),
        **{
            (f"/api/v1/indicators/{{framework}}/{{code}}/{step}", name): value
            for step in ("", "results/")
            for name, value in (("framework", "ruta-network"), ("code", "R4"))
        },
        ("/api/v1/projects/{uuid}/", "uuid"): str(project.uuid),
        ("/api/v1/activities/{uuid}/", "uuid"): str(activity.uuid),
    }


@pytest.fixture(params=ROLES)
def seeded(request: pytest.FixtureRequest, world: Any) -> Seeded:
    user = world.user(request.param)
    return Seeded(
        ids=_seed(world),
        token=issue_api_token(user, None),
        user=user,
        modes=MODES[request.param],
    )


def _check(operation: Any, mode: GenerationMode, seeded: Seeded) -> None:
    """Valid input reaches the seeded objects; invalid input may break the path too (an
    identifier that is not one must answer a documented 404)."""
    fixed = seeded.path_parameters(operation) if mode == GenerationMode.POSITIVE else {}
    strategy = operation.as_strategy(
        mode,
        path_parameters=fixed,
        headers={"Authorization": f"Token {seeded.token_for(operation)}"},
    )

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    run()


def test_api_honours_its_schema(live: Any, seeded: Seeded) -> None:
    """Every operation of /api/v1/, valid and invalid input as a caseworker, valid input as
    a supervisor.

    ``live`` is the server, with the world in a transactional database it sees (and the
    migrated data put back afterwards)."""
    schema = schemathesis.openapi.from_url(f"{live.url}/api/v1/schema/?format=json")
    schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.include(path_regex=r"^/api/v1/").get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in seeded.modes:
            try:
                _check(operation, mode, seeded)
            except Unsatisfiable:
                continue  # no invalid input to make (no parameters, no body)
            except (Exception, BaseExceptionGroup) as error:  # all are reported below
                failures[f"{operation.label} [{mode.value}]"] = str(error)
    assert operations > 60, operations
    # The token served every operation to the end: no answer was a 401 for lack of it.
    me = requests.get(
        f"{live.url}/api/v1/me/", headers={"Authorization": f"Token {seeded.token}"}, timeout=30
    )
    assert me.status_code == 200, me.status_code
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
