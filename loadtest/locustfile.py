"""Locust users for the Ruta load test (``make loadtest``; see loadtest/README.md).

Talks to a production-mode gunicorn (DEBUG off) as the TLS proxy in front of it would:
every request carries ``X-Forwarded-Proto: https``, the cookie jar returns the ``Secure``
cookies, and POSTs carry the ``Origin`` a browser sends over HTTPS (Django's CSRF check
compares it with the host).

The users, 50 in all, plus one ``/healthz`` prober (the floor the pages are compared with):

* 20 anonymous finder searchers: ``/servicios/`` with words and filters, service pages,
  pathways;
* 16 caseworkers: log in (password + TOTP), today page, case list, case page, follow-up
  form and its POST;
* 7 sending supervisors (CARE): service picker, send form, send a referral to HIAS
  (recording the share consent in the same step);
* 7 receiving supervisors (HIAS): inbox, referral page, accept or decline.

Each account belongs to one simulated user (plan file written by ``prepare.py``), and each
receiver answers only the referrals that fall to it (uuid modulo its index), so no 409
comes from two people answering the same referral. A response that is an error page
*and* shows a traceback is counted apart (``traceback-leak``).
"""

from __future__ import annotations

import hashlib
import hmac
import html
import itertools
import json
import os
import random
import re
import struct
import time
import uuid
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from typing import Any

from locust import HttpUser, between, constant, events, task

PLAN = json.loads(Path(os.environ.get("LOAD_PLAN", "var/loadtest/plan.json")).read_text())
FAILURES = Path(os.environ.get("LOAD_FAILURES", "var/loadtest/failures.jsonl"))
WORDS = ["psicológico", "violencia", "salud mental", "refugio", "legal", "niñas", "Lima", ""]
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
LEAK_MARKERS = ("Traceback (most recent call last)", 'File "/', "django.db.utils.")


def _secure_cookies_back(self: DefaultCookiePolicy, cookie: Any, request: Any) -> bool:
    """The browser talks HTTPS to the proxy: it hands ``Secure`` cookies back on this hop.

    Set on the class, not on one jar: requests copies the session's cookies into a fresh
    jar (with the default policy) for every request it prepares.
    """
    return True


DefaultCookiePolicy.return_ok_secure = _secure_cookies_back  # type: ignore[method-assign]


def totp(key_hex: str, at: float | None = None) -> str:
    """RFC 6238 code (SHA-1, 6 digits, 30 s), as django-otp's TOTPDevice expects."""
    counter = int((at if at is not None else time.time()) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def csrf_token(text: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    return found.group(1) if found else ""


def form_after(text: str, action_marker: str) -> str:
    """The CSRF token of the form whose action contains ``action_marker``."""
    for match in re.finditer(r"<form[^>]*action=\"([^\"]*)\"[^>]*>(.*?)</form>", text, re.S):
        if action_marker in html.unescape(match.group(1)):
            return csrf_token(match.group(2))
    return csrf_token(text)


def options(text: str, name: str) -> list[str]:
    block = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', text, re.S)
    if not block:
        return []
    return [v for v in re.findall(r'<option value="([^"]*)"', block.group(1)) if v]


@events.request.add_listener
def _keep_failures(
    request_type: str,
    name: str,
    response_time: float,
    response_length: int,
    response: Any = None,
    exception: Any = None,
    **_: Any,
) -> None:
    if exception is None:
        return
    status = getattr(response, "status_code", 0) if response is not None else 0
    with FAILURES.open("a", encoding="utf-8") as out:
        out.write(
            json.dumps(
                {
                    "at": time.time(),
                    "name": name,
                    "status": status,
                    "error": str(exception)[:200],
                }
            )
            + "\n"
        )


class RutaUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers["X-Forwarded-Proto"] = "https"
        self.client.headers["Accept-Language"] = "es"

    def get(self, path: str, name: str, expect: int = 200, **kwargs: Any) -> str:
        with self.client.get(
            path, name=name, catch_response=True, allow_redirects=False, **kwargs
        ) as response:
            return self._judge(response, expect)

    def post(self, path: str, name: str, data: dict[str, Any], expect: int = 302) -> str:
        origin = self.host.replace("http://", "https://")
        headers = {"Origin": origin, "Referer": origin + path}
        with self.client.post(
            path,
            data=data,
            name=name,
            headers=headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            return self._judge(response, expect)

    @staticmethod
    def _judge(response: Any, expect: int) -> str:
        text: str = response.text or ""
        if response.status_code >= 500 and any(m in text for m in LEAK_MARKERS):
            response.failure(f"traceback-leak {response.status_code}")
        elif response.status_code != expect:
            response.failure(f"status {response.status_code}, expected {expect}")
        else:
            response.success()
        return text

    def log_in(self, entry: dict[str, Any]) -> None:
        page = self.get("/cuenta/entrar/", "login form")
        self.post(
            "/cuenta/entrar/",
            "login POST",
            {
                "csrfmiddlewaretoken": csrf_token(page),
                "username": entry["email"],
                "password": PLAN["password"],
            },
        )
        page = self.get("/cuenta/entrar/verificar/", "2FA form")
        self.post(
            "/cuenta/entrar/verificar/",
            "2FA POST",
            {"csrfmiddlewaretoken": csrf_token(page), "token": totp(entry["totp_key"])},
        )


class Searcher(RutaUser):
    """Anonymous finder searches, service pages, pathways."""

    fixed_count = 20

    def on_start(self) -> None:
        super().on_start()
        page = self.get("/servicios/", "finder")
        self.sectors = options(page, "sector")
        self.profiles = options(page, "profile")
        self.regions = options(page, "admin1")
        self.services: list[str] = list(dict.fromkeys(re.findall(rf"/servicios/({UUID})/", page)))
        listing = self.get("/rutas/", "pathway list")
        self.pathways = list(dict.fromkeys(re.findall(rf"/rutas/({UUID})/", listing)))

    @task(5)
    def search(self) -> None:
        params: dict[str, str] = {"q": random.choice(WORDS)}
        if self.sectors and random.random() < 0.5:
            params["sector"] = random.choice(self.sectors)
        if self.profiles and random.random() < 0.4:
            params["profile"] = random.choice(self.profiles)
        if self.regions and random.random() < 0.3:
            params["admin1"] = random.choice(self.regions)
        page = self.get("/servicios/", "finder search", params=params)
        found = re.findall(rf"/servicios/({UUID})/", page)
        if found:
            self.services = list(dict.fromkeys([*found, *self.services]))[:50]

    @task(3)
    def service(self) -> None:
        if self.services:
            self.get(f"/servicios/{random.choice(self.services)}/", "service page")

    @task(1)
    def pathway(self) -> None:
        if self.pathways:
            self.get(f"/rutas/{random.choice(self.pathways)}/", "pathway page")


_caseworkers = itertools.cycle(PLAN["caseworkers"])
_senders = itertools.cycle(PLAN["senders"])
_receivers = itertools.count()


class Caseworker(RutaUser):
    fixed_count = 16

    def on_start(self) -> None:
        super().on_start()
        self.account = next(_caseworkers)
        self.log_in(self.account)

    @task(3)
    def today(self) -> None:
        self.get("/casos/hoy/", "today")

    @task(3)
    def case_list(self) -> None:
        self.get("/casos/", "case list")

    @task(4)
    def case_page(self) -> None:
        self.get(f"/casos/{random.choice(self.account['cases'])}/", "case page")

    @task(2)
    def follow_up(self) -> None:
        case = random.choice(self.account["cases"])
        path = f"/casos/{case}/seguimientos/nuevo/"
        page = self.get(path, "follow-up form")
        happened = re.search(r'name="happened_on"[^>]*value="([^"]+)"', page)
        self.post(
            path,
            "follow-up POST",
            {
                "csrfmiddlewaretoken": csrf_token(page),
                "kind": random.choice(["call", "visit", "session", "note"]),
                "happened_on": happened.group(1) if happened else "",
                "note": "Seguimiento de prueba de carga.",
            },
        )


class Sender(RutaUser):
    """A CARE supervisor refers its own load cases to HIAS services, each pair once."""

    fixed_count = 7

    def on_start(self) -> None:
        super().on_start()
        self.account = next(_senders)
        self.pairs = [(c, s) for s in PLAN["receiver_services"] for c in self.account["cases"]]
        random.shuffle(self.pairs)
        self.log_in(self.account)

    @task(3)
    def inbox(self) -> None:
        self.get("/derivaciones/?side=sent", "inbox")

    @task(2)
    def send(self) -> None:
        if not self.pairs:
            return
        case, service = self.pairs.pop()
        self.get(f"/derivaciones/nueva/{case}/", "referral picker")
        path = f"/derivaciones/nueva/{case}/{service}/"
        page = self.get(path, "referral send form")
        self.post(
            path,
            "referral send POST",
            {
                "csrfmiddlewaretoken": csrf_token(page),
                "fields_to_share": ["name", "age_band", "languages"],
                "urgency": random.choice(["normal", "urgent"]),
                "reason": "Prueba de carga: apoyo psicosocial.",
                "record_consent": "on",
                "given_by": "self",
                "method": "verbal",
            },
        )


class Receiver(RutaUser):
    """A HIAS supervisor answers the referrals that fall to it: accept or decline."""

    fixed_count = 7

    def on_start(self) -> None:
        super().on_start()
        self.index = next(_receivers)
        self.account = PLAN["receivers"][self.index % len(PLAN["receivers"])]
        self.log_in(self.account)

    def mine(self, referral: str) -> bool:
        return uuid.UUID(referral).int % len(PLAN["receivers"]) == self.index

    @task
    def answer(self) -> None:
        inbox = self.get("/derivaciones/?status=sent", "inbox")
        waiting = [r for r in dict.fromkeys(re.findall(rf"/derivaciones/({UUID})/", inbox))]
        mine = [r for r in waiting if self.mine(r)]
        if not mine:
            return
        referral = mine[0]
        path = f"/derivaciones/{referral}/"
        page = self.get(path, "referral page")
        if random.random() < 0.7:
            self.post(
                f"{path}aceptar/",
                "referral accept POST",
                {
                    "csrfmiddlewaretoken": form_after(page, "aceptar"),
                    "case_type": "mhpss",
                },
            )
        else:
            self.post(
                f"{path}rechazar/",
                "referral decline POST",
                {
                    "csrfmiddlewaretoken": form_after(page, "rechazar"),
                    "reason": "no_capacity",
                },
            )


class Floor(HttpUser):
    """``/healthz`` once a second: one query, no template. The floor of every page."""

    fixed_count = 1
    wait_time = constant(1)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="/healthz (floor)")
