"""How a referral reads: the snapshot as labelled rows in the reader's language, the
picker's defaults from the case profile, and the printable referral form (PDF)."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ruta.cases.models import (
    AgeBand,
    Case,
    CaseType,
    GenderIdentity,
    NeedDomain,
    NeedLevel,
    PopulationType,
    Sex,
)
from ruta.lib.geo import country_name, language_names
from ruta.places.models import AdminArea
from ruta.referrals.models import Referral, ShareField


def _language() -> str:
    return (get_language() or "es")[:2]


def _yes_no(value: Any) -> str:
    if value is None:
        return _("not asked")
    return _("yes") if value else _("no")


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value)) if value else "—"


def snapshot_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The snapshot as ``{"key", "label", "value"}`` rows, in the checklist's order."""
    rows: list[dict[str, Any]] = []

    def add(key: str, value: Any) -> None:
        rows.append({"key": key, "label": ShareField(key).label, "value": value})

    if "name" in data:
        add(ShareField.NAME, data["name"] or "—")
    if "age_band" in data:
        add(ShareField.AGE_BAND, _label(AgeBand, data["age_band"]))
    if "sex" in data:
        add(ShareField.SEX, _label(Sex, data["sex"]))
    if "gender_identity" in data:
        add(ShareField.GENDER, _label(GenderIdentity, data["gender_identity"]))
    if "languages" in data:
        add(ShareField.LANGUAGES, ", ".join(language_names(data["languages"], _language())) or "—")
    if "needs" in data:
        levels = dict(NeedLevel.choices)
        needs = [
            f"{NeedDomain(domain).label}: {levels.get(level, level)}"
            for domain, level in data["needs"].items()
            if domain in NeedDomain.values
        ]
        add(ShareField.NEEDS, "; ".join(needs) or _("No assessed needs yet"))
    if "safe_contact" in data:
        contact = data["safe_contact"] or {}
        parts = [
            _("Safe to call: %(answer)s") % {"answer": _yes_no(contact.get("safe_to_call"))},
            _("Safe to leave a message: %(answer)s")
            % {"answer": _yes_no(contact.get("safe_to_message"))},
        ]
        if contact.get("safe_times"):
            parts.append(_("Safe times: %(times)s") % {"times": contact["safe_times"]})
        if contact.get("code_word"):
            parts.append(_("Code word: %(word)s") % {"word": contact["code_word"]})
        add(ShareField.SAFE_CONTACT, "; ".join(parts))
    if "phone" in data:
        add(ShareField.PHONE, data["phone"] or "—")
    if "nationality" in data:
        add(
            ShareField.NATIONALITY,
            country_name(data["nationality"], _language()) if data["nationality"] else "—",
        )
    if "population_type" in data:
        add(ShareField.POPULATION, _label(PopulationType, data["population_type"]))
    if "has_disability" in data:
        add(ShareField.DISABILITY, _yes_no(data["has_disability"]))
    if "admin1" in data:
        add(ShareField.REGION, data["admin1"] or "—")
    if "case_type" in data:
        add(ShareField.CASE_TYPE, _label(CaseType, data["case_type"]))
    return rows


# Population profile (directory taxonomy "population") that fits a client best.
def _profile(case: Case) -> str:
    client = case.client
    if client.population_type == PopulationType.IN_TRANSIT:
        return "in_transit"
    if client.age_band == AgeBand.AGE_60:
        return "older"
    if client.is_child:
        children: dict[str, str] = {Sex.FEMALE: "girls", Sex.MALE: "boys"}
        return children.get(client.sex, "")
    adults: dict[str, str] = {Sex.FEMALE: "women", Sex.MALE: "men"}
    return adults.get(client.sex, "")


def picker_defaults(case: Case) -> dict[str, Any]:
    """Start from the survivor's profile and region (when the region is a known area)."""
    region = case.client.admin1
    if region and not AdminArea.objects.filter(code=region).exists():
        region = ""
    return {"q": "", "sector": "", "profile": _profile(case), "admin1": region}


def referral_html(referral: Referral) -> str:
    return render_to_string(
        "referrals/referral_form_pdf.html",
        {
            "referral": referral,
            "rows": snapshot_rows(referral.snapshot_data()),
            "generated": timezone.localtime(),
        },
    )


def referral_pdf(referral: Referral) -> bytes:
    import weasyprint
    from weasyprint.urls import URLFetcher

    no_fetch = URLFetcher(allowed_protocols=())  # self-contained: nothing is fetched
    document = weasyprint.HTML(string=referral_html(referral), url_fetcher=no_fetch)
    result: bytes = document.write_pdf()
    return result
