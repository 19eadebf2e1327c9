"""What a service's page shows of its HSDS record that Ruta keeps but has no column for.

An imported service may come with how to apply, a waiting time, interpretation, its
accreditations and licences, and a notice (HSDS ``alert``: a temporary condition, such as
a suspension). Ruta keeps them (``KeptRecord``) so that its export gives them back; a
caseworker deciding where to refer must read them too. Each field is shown as the export
gives it (``mapping.kept``): the received value while Ruta's own data for that field is as
it was at the import, Ruta's once it changed. The notice is shown only where it says more
than Ruta's own intake status, which the page already shows.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ruta.directory.extras import Extra
from ruta.directory.models import Service
from ruta.hsds.mapping.common import Context
from ruta.hsds.mapping.flat import service_alert, service_list_dict

# HSDS service fields Ruta shows nowhere else, in the order the page lists them.
SHOWN = (
    "application_process",
    "wait_time",
    "interpretation_services",
    "accreditations",
    "licenses",
)


def _labels() -> dict[str, str]:
    return {
        "application_process": _("How to apply"),
        "wait_time": _("Waiting time"),
        "interpretation_services": _("Interpretation"),
        "accreditations": _("Accreditations"),
        "licenses": _("Licences"),
    }


def _text(value: Any) -> str:
    return str(value).strip() if value not in (None, "") else ""


def received_extra(service: Service) -> Extra | None:
    records = [r for r in service.kept_records.all() if r.entity == "service"]
    if not records:
        return None
    language = (get_language() or "es")[:2]
    exported = service_list_dict(service, Context(language=language), organization=False)
    labels = _labels()
    facts = [(labels[name], text) for name in SHOWN if (text := _text(exported.get(name)))]
    notices = []
    alert = _text(exported.get("alert"))
    if alert and alert != _text(service_alert(service, Context(language=language, kept=False))):
        notices.append(alert)
    if not facts and not notices:
        return None
    received = date_format(timezone.localtime(records[0].imported_at), "DATE_FORMAT")
    origin = _("From the service's record as imported on %(date)s; not edited in Ruta.") % {
        "date": received
    }
    return Extra(facts=facts, notices=notices, origin=origin)
