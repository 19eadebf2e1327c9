"""The fixture world: two agencies with every role each, a network organization, an outsider."""

from __future__ import annotations

import contextlib
import io
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
import time_machine

from ruta.lib.permissions import Role

# Chromium, the live server and the migrated-data restore for browser tests in every app.
pytest_plugins = ["ruta.core.tests.browser_fixtures"]

PASSWORD = "correct-horse-battery-staple-42"

# Browser tests talk to a live server from the test process; Playwright runs its own loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# Test modules whose tests take 15 s or more each (pytest --durations on PostgreSQL).
LONGEST = (
    "test_api_contract.py",
    "test_case_reads_audited.py",
    "test_access_fuzz.py",
    "test_model_moves.py",
    "test_list_matches_detail.py",
    "test_production_mode.py",
    "test_deploy_checks.py",
    "directory/tests/test_bench.py",
    "test_browser_cases.py",
)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``--dist loadgroup``: hand the longest tests out first, and keep an
    ``xdist_group``'s tests on one worker.

    xdist 3.8 marks a grouped test by appending ``@group`` to ``item._nodeid``; pytest 9.2
    keeps a node's id in ``item._id`` instead, so the suffix was lost and the production
    probes were spread over both workers, each building the instance (25 s). The suffix is
    put where pytest reads it."""
    if not getattr(config.option, "loadgroup", False):
        return
    # The longest tests are handed out first: started last, one of them kept a worker busy
    # for a minute after the other had run out of tests (a stable sort keeps the rest).
    items.sort(key=lambda item: not item.nodeid.split("::")[0].endswith(LONGEST))
    for item in items:
        groups = sorted(
            {
                str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
                for mark in item.iter_markers("xdist_group")
            }
        )
        if groups and "@" not in item.nodeid:
            item._id = type(item._id).parse(f"{item.nodeid}@{'_'.join(groups)}")


@pytest.fixture(autouse=True, scope="session")
def _test_clock() -> Iterator[None]:
    """``RUTA_TEST_CLOCK=2028-02-29T23:30:00-05:00`` starts the run's clock at that moment
    (it then ticks on): ``make pytest-clocks`` runs every date test at each awkward hour."""
    moment = os.environ.get("RUTA_TEST_CLOCK", "")
    if not moment:
        yield
        return
    with time_machine.travel(datetime.fromisoformat(moment), tick=True):
        yield


# The date tests start at one of two awkward moments, the same one for a given test in
# every run (a hash of its name): 03:00 UTC on the last day of a month (Lima is still on
# the day before), or 23:30 in Lima on 29 February (UTC is already on 1 March). Half the
# date tests meet each; `make pytest-clocks` runs all of them at each moment.
MAIN_RUN_CLOCKS = ("2027-01-31T03:00:00+00:00", "2028-02-29T23:30:00-05:00")


def main_run_clock(node: pytest.Item | pytest.Collector) -> contextlib.AbstractContextManager[Any]:
    """The clock a ``dates`` test (or a class of them) starts at, ticking on; none (the
    run's own clock) for other tests, or when ``RUTA_TEST_CLOCK`` sets the run's clock."""
    if os.environ.get("RUTA_TEST_CLOCK") or node.get_closest_marker("dates") is None:
        return contextlib.nullcontext()
    moment = MAIN_RUN_CLOCKS[zlib.crc32(node.nodeid.encode()) % len(MAIN_RUN_CLOCKS)]
    return time_machine.travel(datetime.fromisoformat(moment), tick=True)


@pytest.fixture(autouse=True)
def _date_test_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """A test marked ``dates`` never meets the wall clock: without ``RUTA_TEST_CLOCK`` it
    runs from its ``main_run_clock``. Browser tests keep the real clock (Chromium has its
    own)."""
    node = request.node
    if (
        node.get_closest_marker("browser") is not None
        or "loaded_demo" in request.fixturenames  # its class's clock ticks on
    ):
        yield
        return
    with main_run_clock(node):
        yield


@pytest.fixture(scope="class")
def loaded_demo(
    request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any
) -> Iterator[str]:
    """``manage.py load_demo`` once for the tests of a class, which then run in savepoints
    of the transaction that holds it (undone after the class; tests outside it never see
    it): loading it for each test cost 5-8 s. Its on-commit work (notifications) runs as
    after a real commit. Tests marked ``dates`` get it loaded from the clock they see, which
    ticks on through them. Yields what the command printed."""
    from django.core.management import call_command
    from django.db import transaction
    from django.test import TestCase

    with main_run_clock(request.node), django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        with TestCase.captureOnCommitCallbacks(execute=True):
            call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _start_in_spanish() -> Iterator[None]:
    """Each test starts in the default language: a request leaves its language active."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture
def english() -> Iterator[None]:
    """For modules that assert English messages (the msgids) whatever the catalogs hold:
    ``pytestmark = pytest.mark.usefixtures("english")``."""
    from django.utils import translation

    with translation.override("en"):
        yield


@dataclass
class World:
    care: Any
    hias: Any
    network: Any
    outsider_org: Any
    users: dict[str, Any] = field(default_factory=dict)

    def user(self, key: str) -> Any:
        return self.users[key]


def make_user(email: str, role: str, organization: Any, **extra: Any) -> Any:
    from ruta.accounts.models import User

    return User.objects.create_user(
        email=email,
        password=PASSWORD,
        role=role,
        organization=organization,
        full_name=email.split("@")[0].replace(".", " ").title(),
        **extra,
    )


@pytest.fixture
def world(db: Any) -> World:
    from ruta.agencies.models import Organization, OrganizationType

    care = Organization.objects.create(
        name="CARE Perú",
        acronym="CARE",
        type=OrganizationType.NGO,
        countries=["PE"],
        website="https://www.care.org.pe",
    )
    hias = Organization.objects.create(
        name="HIAS Perú", acronym="HIAS", type=OrganizationType.NGO, countries=["PE"]
    )
    network = Organization.objects.create(
        name="GTRM Perú", acronym="GTRM", type=OrganizationType.UN_AGENCY, countries=["PE"]
    )
    outsider_org = Organization.objects.create(
        name="Otra ONG", acronym="OTRA", type=OrganizationType.CIVIL_SOCIETY, countries=["EC"]
    )
    w = World(care=care, hias=hias, network=network, outsider_org=outsider_org)
    w.users["admin"] = make_user("admin@test.org", Role.ADMIN, network)
    w.users["coordinator"] = make_user("coord@test.org", Role.COORDINATOR, network)
    w.users["analyst"] = make_user("analyst@test.org", Role.ANALYST, network)
    for org, slug in ((care, "care"), (hias, "hias")):
        for role in (Role.AGENCY_ADMIN, Role.SUPERVISOR, Role.CASEWORKER, Role.HELPLINE):
            w.users[f"{role}.{slug}"] = make_user(f"{role}.{slug}@test.org", role, org)
    w.users["outsider"] = make_user("outsider@test.org", Role.CASEWORKER, outsider_org)
    return w


def es(message: Any) -> str:
    """``message`` (a msgid or a lazy label) as the Spanish catalog has it: what Spanish
    pages, and the API at every unprefixed path, show (the msgid itself while the catalog
    lacks it)."""
    from django.utils import translation

    with translation.override("es"):
        return translation.gettext(message) if isinstance(message, str) else str(message)


def verified_login(client: Any, user: Any) -> Any:
    """Log ``user`` in as if they had passed the second factor (for 2FA-gated roles)."""
    from django_otp.plugins.otp_static.models import StaticDevice

    client.force_login(user, backend="ruta.accounts.backends.EmailBackend")
    device, _created = StaticDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def login(client: Any) -> Any:
    def _login(user: Any) -> Any:
        return verified_login(client, user)

    return _login
