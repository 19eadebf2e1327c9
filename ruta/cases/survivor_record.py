"""The survivor's own record: a PDF in their language, encrypted with a password.

What it holds — what the survivor told or decided, and what was recorded about them:
identity and safe-contact details, consents (given and withdrawn), incidents as they
told them, needs assessments, the action plan (goals, actions, pros, cons and their
decision), the safety plan, follow-ups and the referrals made with their consent (added
by the referrals app through ``extensions.add_record_section``).

What it leaves out — the agency's internal work: the reason noted for the risk level,
supervisors' approval comments, closure and reopening notes, questionnaire scores (they
are explained in person by whoever administered them), case conferences and the audit
trail.

The password is made here, shown once to the supervisor (who gives it to the survivor
apart from the file) and travels to the background task in the export's encrypted
parameters, which are wiped as soon as the file is made. It is never in the audit
trail, a log or a notification.
"""

from __future__ import annotations

import io
import secrets
from typing import Any

from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from ruta.cases import extensions
from ruta.cases.access import can_supervise, get_case
from ruta.cases.models import ActionPlan, Case, DocumentType, NeedDomain, NeedLevel, SafetyPlan
from ruta.exports.models import SecureExport
from ruta.exports.registry import ExportRefused, Produced, Producer
from ruta.lib.geo import country_name, language_names
from ruta.lib.permissions import Cap

KIND = "survivor_record"
# No 0/O, 1/I/L: read aloud or copied by hand without mistakes.
PASSWORD_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # noqa: S105 (the characters, not a password)
PASSWORD_GROUPS = 3
PASSWORD_GROUP_LENGTH = 4


def new_password() -> str:
    """Twelve characters in three groups, e.g. ``K7QX-M3PA-9RTD`` (about 59 bits)."""
    return "-".join(
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )


def default_language(case: Case) -> str:
    """English when the survivor speaks English and not Spanish; Spanish otherwise."""
    spoken = list(case.client.languages or [])
    return "en" if "en" in spoken and "es" not in spoken else "es"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _needs(needs: dict[str, str]) -> list[tuple[str, str]]:
    levels = dict(NeedLevel.choices)
    return [
        (str(label), str(levels.get(needs.get(domain, ""), "—")))
        for domain, label in NeedDomain.choices
        if needs.get(domain) and needs.get(domain) != NeedLevel.NONE
    ]


def record_context(case: Case, language: str) -> dict[str, Any]:
    client = case.client
    document_type = client.document_type or ""
    if document_type in DocumentType.values:
        document_type = str(DocumentType(document_type).label)
    plan = ActionPlan.objects.filter(case=case).first()
    goals = []
    if plan is not None:
        for goal in plan.goals.prefetch_related("actions"):
            goals.append({"goal": goal, "actions": list(goal.actions.all())})
    safety = SafetyPlan.objects.filter(case=case).first()
    return {
        "case": case,
        "client": client,
        "organization": case.organization,
        "full_name": f"{client.given_names} {client.family_names}".strip(),
        "document_type": document_type,
        "nationality": country_name(client.nationality, language) if client.nationality else "",
        "languages": language_names(list(client.languages or []), language),
        "consents": list(case.consents.select_related("recipient").order_by("given_at", "id")),
        "incidents": list(case.incidents.order_by("date", "id")),
        "assessments": [
            {"assessment": assessment, "needs": _needs(assessment.needs or {})}
            for assessment in case.assessments.order_by("assessed_on", "id")
        ],
        "goals": goals,
        "safety": safety,
        "safety_lines": {
            "risks": _lines(safety.risks) if safety else [],
            "strategies": _lines(safety.strategies) if safety else [],
            "safe_people": _lines(safety.safe_people) if safety else [],
            "safe_places": _lines(safety.safe_places) if safety else [],
            "other_numbers": _lines(safety.other_numbers) if safety else [],
        },
        "emergency_services": list(safety.emergency_services.all()) if safety else [],
        "follow_ups": list(case.follow_ups.order_by("happened_on", "id")),
        "sections": extensions.record_sections(case),
        "generated": timezone.localtime(),
    }


def record_html(case: Case, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "cases/survivor_record_pdf.html", {**record_context(case, language), "lang": language}
        )


def record_pdf(case: Case, language: str, password: str) -> bytes:
    import weasyprint
    from pypdf import PdfReader, PdfWriter
    from weasyprint.urls import URLFetcher

    no_fetch = URLFetcher(allowed_protocols=())  # self-contained: nothing is fetched
    plain: bytes = weasyprint.HTML(
        string=record_html(case, language), url_fetcher=no_fetch
    ).write_pdf()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(plain)))
    writer.encrypt(
        user_password=password, owner_password=secrets.token_urlsafe(24), algorithm="AES-256"
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def produce(export: SecureExport, params: dict[str, Any]) -> Produced:
    password = str(params.get("password") or "")
    if not password:
        raise ExportRefused("no password")
    try:
        case = get_case(export.owner, params.get("case"))
    except Http404 as missing:
        raise ExportRefused("case out of reach") from missing
    if not can_supervise(export.owner, case):
        raise ExportRefused("not the case's supervisor")
    language = params.get("language") if params.get("language") in ("es", "en") else "es"
    return Produced(
        content=record_pdf(case, str(language), password),
        filename=f"{case.code}-record.pdf",
        content_type="application/pdf",
        cases=(str(case.uuid),),
    )


PRODUCER = Producer(
    kind=KIND,
    label=_("Survivor's record (PDF, with password)"),
    produce=produce,
    capability=Cap.SUPERVISE_CASES,
)
