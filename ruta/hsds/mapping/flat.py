"""The one-to-one HSDS objects: each of our rows as one flat HSDS object (one CSV row)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import override

from ruta.directory.models import (
    IntakeStatus,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    Weekday,
)
from ruta.hsds.mapping.common import (
    Context,
    alternate,
    area_label,
    compact,
    iso_datetime,
    language_name,
    or_none,
    phone_attributes,
    text,
)
from ruta.hsds.mapping.kept import overlay
from ruta.hsds.mapping.vocabulary import (
    ALL_DAYS,
    BYDAY,
    LANGUAGES,
    STATUS_TO_HSDS,
    offset_suffix,
    synthetic_id,
    utc_offset,
)
from ruta.lib.clock import local_date

# --- Organizations --------------------------------------------------------------------


def organization_uri(organization: Any, ctx: Context) -> str | None:
    if not ctx.base_url:
        return None
    return f"{ctx.base_url}/api/hsds/organizations/{organization.uuid}"


def organization_dict(organization: Any, ctx: Context) -> dict[str, Any]:
    """The one-to-one fields (organization_list.json)."""
    data = compact(
        {
            "id": str(organization.uuid),
            "name": organization.name,
            "alternate_name": or_none(organization.acronym),
            "description": text(organization, "description", ctx) or organization.name,
            "email": or_none(organization.email),
            "website": or_none(organization.website),
            "uri": organization_uri(organization, ctx),
        }
    )
    return overlay("organization", organization, data, flat=True) if ctx.kept else data


# --- Locations ------------------------------------------------------------------------


def location_dict(location: Location, ctx: Context) -> dict[str, Any]:
    """The one-to-one fields of a location."""
    data = compact(
        {
            "id": str(location.uuid),
            "location_type": "physical",
            "organization_id": str(location.organization.uuid),
            "name": location.name,
            "transportation": or_none(location.transportation),
            "latitude": location.latitude,
            "longitude": location.longitude,
        }
    )
    return overlay("location", location, data, flat=True) if ctx.kept else data


def address_dict(location: Location, ctx: Context) -> dict[str, Any] | None:
    if not (location.address or location.city or location.admin1_id):
        return None
    return compact(
        {
            "id": str(synthetic_id("address", location.uuid)),
            "location_id": str(location.uuid),
            "address_1": location.address,
            "city": location.city,
            "region": location.admin2.name if location.admin2 else None,
            "state_province": location.admin1.name if location.admin1 else "",
            "postal_code": location.postal_code,
            # The region's country wins over a stale country field.
            "country": location.admin1.country if location.admin1 else location.country,
            "address_type": "physical",
        }
    )


def accessibility_dict(location: Location) -> dict[str, Any] | None:
    if not location.accessibility:
        return None
    return {
        "id": str(synthetic_id("accessibility", location.uuid)),
        "location_id": str(location.uuid),
        "description": location.accessibility,
    }


# --- Services -------------------------------------------------------------------------


@lru_cache(maxsize=len(LANGUAGES))
def phrases(language: str) -> dict[str, str]:
    """The few sentences the mapping writes, translated once per language."""
    with override(language):
        found = {
            "illustrative": _("Illustrative example: this is not a real service."),
            "free": _("Free of charge"),
            "fee": _("Fee"),
            "always_open": _("Open 24 hours, 7 days"),
            "time_zone": _("Time zone: %(zone)s"),
        }
        found.update({f"intake:{value}": str(label) for value, label in IntakeStatus.choices})
        found.update({f"day:{value}": str(label) for value, label in Weekday.choices})
    return found


def service_alert(service: Service, ctx: Context) -> str | None:
    words = phrases(ctx.language)
    notes = []
    if service.illustrative:
        notes.append(words["illustrative"])
    if service.intake_status != IntakeStatus.ACCEPTING:
        label = words[f"intake:{service.intake_status}"]
        notes.append(f"{label}: {service.intake_reason}" if service.intake_reason else label)
    return " ".join(notes) or None


def fees_description(service: Service, ctx: Context) -> str:
    return phrases(ctx.language)["free"] if service.is_free else service.fee_detail


def service_minimal_dict(service: Service, ctx: Context) -> dict[str, Any]:
    """``minimal=true``: the id and last change, with the fields service_list.json requires."""
    return {
        "id": str(service.uuid),
        "name": text(service, "name", ctx),
        "status": STATUS_TO_HSDS[ServiceStatus(service.status)],
        "last_modified": iso_datetime(service.updated_at),
    }


def service_list_dict(
    service: Service, ctx: Context, *, organization: bool = True
) -> dict[str, Any]:
    """The one-to-one fields of a service (service_list.json), with its organization."""
    verified = service.last_verified_at
    data = compact(
        {
            "id": str(service.uuid),
            "organization_id": str(service.organization.uuid),
            "name": text(service, "name", ctx),
            "alternate_name": alternate(service, "name", ctx),
            "description": or_none(text(service, "description", ctx)),
            "url": or_none(service.url),
            "email": or_none(service.email),
            "status": STATUS_TO_HSDS[ServiceStatus(service.status)],
            "fees_description": or_none(fees_description(service, ctx)),
            "eligibility_description": or_none(text(service, "eligibility", ctx)),
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": (
                local_date(verified, service.timezone).isoformat() if verified else None
            ),
            "alert": service_alert(service, ctx),
            "last_modified": iso_datetime(service.updated_at),
        }
    )
    if ctx.kept:
        data = overlay("service", service, data, flat=True)
    if organization:
        data["organization"] = organization_dict(service.organization, ctx)
    return data


def phone_dict(phone: Phone, service: Service, ctx: Context) -> dict[str, Any]:
    extension: int | None = None
    description = phone.description
    if phone.extension.isdigit():
        extension = int(phone.extension)
    elif phone.extension:
        description = f"{description} (ext. {phone.extension})".strip()
    return compact(
        {
            "id": str(phone.uuid),
            "service_id": str(service.uuid),
            "number": phone.number,
            "extension": extension,
            "type": "voice",
            "description": or_none(description),
            "attributes": phone_attributes(phone, ctx),
        }
    )


def _zone_note(service: Service, ctx: Context) -> str:
    note = phrases(ctx.language)["time_zone"] % {"zone": service.timezone}
    if service.holidays_note:
        note = f"{note}. {service.holidays_note}"
    return note


def schedule_dict(
    schedule: Schedule, service: Service, ctx: Context, hours: float | None = None
) -> dict[str, Any]:
    hours = utc_offset(service.timezone) if hours is None else hours
    suffix = offset_suffix(hours)
    opens, closes = f"{schedule.opens_at:%H:%M}", f"{schedule.closes_at:%H:%M}"
    day = phrases(ctx.language)[f"day:{schedule.weekday}"]
    return {
        "id": str(schedule.uuid),
        "service_id": str(service.uuid),
        "freq": "WEEKLY",
        "byday": BYDAY[Weekday(schedule.weekday)],
        "opens_at": f"{opens}{suffix}",
        "closes_at": f"{closes}{suffix}",
        "timezone": hours,
        "description": f"{day} {opens}-{closes}",
        "notes": _zone_note(service, ctx),
    }


def always_open_dict(service: Service, ctx: Context) -> dict[str, Any]:
    hours = utc_offset(service.timezone)
    suffix = offset_suffix(hours)
    description = phrases(ctx.language)["always_open"]
    return {
        "id": str(synthetic_id("schedule", service.uuid, "24/7")),
        "service_id": str(service.uuid),
        "freq": "WEEKLY",
        "byday": ALL_DAYS,
        "opens_at": f"00:00{suffix}",
        "closes_at": f"23:59{suffix}",
        "timezone": hours,
        "description": description,
        "notes": _zone_note(service, ctx),
    }


def schedules(service: Service, ctx: Context) -> list[dict[str, Any]]:
    hours = utc_offset(service.timezone)
    rows = [schedule_dict(s, service, ctx, hours) for s in service.schedules.all()]
    if service.open_24_7:
        rows.insert(0, always_open_dict(service, ctx))
    return rows


def service_area_dict(area: ServiceArea, service: Service, ctx: Context) -> dict[str, Any]:
    return {
        "id": str(area.uuid),
        "service_id": str(service.uuid),
        "name": text(area.area, "name", ctx),
        "description": area_label(area.area),
    }


def language_dicts(service: Service, ctx: Context) -> list[dict[str, Any]]:
    return [
        {
            "id": str(synthetic_id("language", service.uuid, code)),
            "service_id": str(service.uuid),
            "code": code,
            "name": language_name(code, ctx.language),
        }
        for code in service.languages or []
        if isinstance(code, str) and code
    ]


def cost_option_dicts(service: Service, ctx: Context) -> list[dict[str, Any]]:
    base = {"id": str(synthetic_id("cost", service.uuid)), "service_id": str(service.uuid)}
    words = phrases(ctx.language)
    if service.is_free:
        return [{**base, "option": words["free"], "amount": 0}]
    return [{**base, "option": words["fee"], "amount_description": service.fee_detail}]


def required_document_dicts(service: Service) -> list[dict[str, Any]]:
    if not service.documents_required:
        return []
    return [
        {
            "id": str(synthetic_id("document", service.uuid)),
            "service_id": str(service.uuid),
            "document": service.required_documents,
        }
    ]


def sal_dict(sal: ServiceAtLocation, ctx: Context) -> dict[str, Any]:
    return compact(
        {
            "id": str(sal.uuid),
            "service_id": str(sal.service.uuid),
            "location_id": str(sal.location.uuid),
            "description": or_none(sal.description),
        }
    )
