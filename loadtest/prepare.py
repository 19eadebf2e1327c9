"""Load-test tool (not product code): turn a freshly demo-loaded database into one a
production-mode gunicorn will serve, and write the plan the Locust users follow.

Run by ``loadtest/run.sh`` after ``migrate`` and ``load_demo``::

    python loadtest/prepare.py var/loadtest/plan.json

What it does, and why:

* The demo accounts are *retired*: ``is_demo`` off, password unusable, inactive. With
  DEBUG off, ``ruta.wsgi`` refuses to serve while demo accounts exist; retiring them keeps
  the demo directory, pathways and cases as a realistic data set that nobody can log in to.
* Load accounts are created through the ORM (not through invitations and second-person
  role confirmation, which a load fixture cannot click through), each with a confirmed
  TOTP device whose key is written to the plan: production mode requires 2FA for every
  case role, and the Locust users compute their codes (RFC 6238) as an authenticator does.
  One account per simulated user, because a TOTP code is accepted once per 30 s per device.
* Cases are opened through ``ruta.cases.actions`` (audited, encrypted, with the consent
  for services), so the pages the users read and the forms they post are the real ones.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import django

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruta.settings")
django.setup()

from django.db import transaction  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from ruta.accounts.models import User  # noqa: E402
from ruta.agencies.models import Organization  # noqa: E402
from ruta.cases import actions  # noqa: E402
from ruta.cases.models import ConsentMethod, ConsentPurpose  # noqa: E402
from ruta.directory.models import Service  # noqa: E402

CASEWORKERS = int(os.environ.get("LOAD_CASEWORKERS", "16"))
SENDERS = int(os.environ.get("LOAD_SENDERS", "7"))
RECEIVERS = int(os.environ.get("LOAD_RECEIVERS", "7"))
CASES_PER_CASEWORKER = 4
CASES_PER_SENDER = 12
DOMAIN = "ruta-load.example.org"


def retire_demo_accounts() -> int:
    retired = 0
    for user in User.objects.filter(is_demo=True):
        user.is_demo = False
        user.is_active = False
        user.set_unusable_password()
        user.session_generation += 1
        user.save()
        retired += 1
    return retired


def account(email: str, role: str, organization: Organization, password: str) -> dict[str, str]:
    user = User.objects.create_user(
        email=email,
        password=password,
        role=role,
        organization=organization,
        full_name=email.split("@")[0].replace("-", " ").title(),
    )
    key = secrets.token_hex(20)
    TOTPDevice.objects.create(user=user, name="load test", key=key, confirmed=True)
    return {"email": email, "totp_key": key, "uuid": str(user.uuid)}


def open_case(user: User, n: int) -> str:
    case = actions.register_case(
        user,
        client_fields={
            "given_names": "Carga",
            "family_names": f"Prueba {n}",
            "alias": f"Carga {n}",
            "phone": f"+51 900 100 {n:03d}",
            "document_type": "none",
            "sex": "female",
            "gender_identity": "woman",
            "age": 30,
            "nationality": "VE",
            "population_type": "in_destination",
            "languages": ["es"],
            "admin1": "PE-LMA",
            "safe_to_call": True,
        },
        case_type="mhpss",
    )
    actions.record_consent(user, case, purpose=ConsentPurpose.SERVICES, method=ConsentMethod.VERBAL)
    return str(case.uuid)


@transaction.atomic
def prepare() -> dict[str, Any]:
    care = Organization.objects.get(acronym="CARE")
    hias = Organization.objects.get(acronym="HIAS")
    password = secrets.token_urlsafe(18)
    retired = retire_demo_accounts()
    n = 0
    caseworkers = []
    for i in range(1, CASEWORKERS + 1):
        entry = account(f"load-cw-{i:02d}@{DOMAIN}", "caseworker", care, password)
        user = User.objects.get(email=entry["email"])
        cases = []
        for _ in range(CASES_PER_CASEWORKER):
            n += 1
            cases.append(open_case(user, n))
        caseworkers.append({**entry, "cases": cases})
    senders = []
    for i in range(1, SENDERS + 1):
        entry = account(f"load-send-{i:02d}@{DOMAIN}", "supervisor", care, password)
        user = User.objects.get(email=entry["email"])
        cases = []
        for _ in range(CASES_PER_SENDER):
            n += 1
            cases.append(open_case(user, n))
        senders.append({**entry, "cases": cases})
    receivers = [
        account(f"load-recv-{i:02d}@{DOMAIN}", "supervisor", hias, password)
        for i in range(1, RECEIVERS + 1)
    ]
    services = [
        str(uuid)
        for uuid in Service.objects.filter(organization=hias, status="active")
        .order_by("pk")
        .values_list("uuid", flat=True)
    ]
    if not services:
        raise SystemExit("No active HIAS service in the directory: was load_demo run?")
    return {
        "password": password,
        "retired_demo_accounts": retired,
        "caseworkers": caseworkers,
        "senders": senders,
        "receivers": receivers,
        "receiver_services": services,
    }


def main() -> None:
    target = Path(sys.argv[1])
    plan = prepare()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.touch(mode=0o600)
    target.write_text(json.dumps(plan, indent=1), encoding="utf-8")
    print(
        f"Retired {plan['retired_demo_accounts']} demo accounts; created "
        f"{len(plan['caseworkers'])} caseworkers, {len(plan['senders'])} senders, "
        f"{len(plan['receivers'])} receivers; {len(plan['receiver_services'])} HIAS services."
    )


if __name__ == "__main__":
    main()
