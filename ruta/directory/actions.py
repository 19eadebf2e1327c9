"""Every change to the directory: audited, with a change history editors can read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.actions import record
from ruta.directory import search_words
from ruta.directory.models import (
    EverydayWord,
    Location,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceChange,
    TaxonomyTerm,
)
from ruta.directory.vocabularies import term_uuid
from ruta.places.models import AdminArea


class DirectoryError(Exception):
    """A refused directory change; the message is translated and safe to show."""


def _plain(value: Any) -> Any:
    """A JSON-friendly form of a field value for the change history."""
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Iterable) and not isinstance(value, str | dict | bytes):
        return sorted(str(item) for item in value)
    return value


# How the change history marks a free phone line; the editor shows it translated.
FREE_LINE_MARK = " (free line)"


def snapshot(service: Service) -> dict[str, Any]:
    """Field values that the change history compares."""
    data = {
        field.name: _plain(getattr(service, field.name))
        for field in Service._meta.concrete_fields
        if field.name not in {"id", "uuid", "search_text", "created_at", "updated_at"}
    }
    if service.pk:
        data["terms"] = sorted(term.code for term in service.terms.all())
        data["phones"] = sorted(
            f"{p.number}{' (WhatsApp)' if p.whatsapp else ''}{FREE_LINE_MARK if p.free_line else ''}"
            for p in service.phones.all()
        )
        data["schedules"] = sorted(str(s) for s in service.schedules.all())
        data["closures"] = sorted(
            f"{c.date.isoformat()} {c.reason}".strip() for c in service.closures.all()
        )
        data["locations"] = sorted(
            sal.location.name for sal in service.service_at_locations.select_related("location")
        )
        data["service_areas"] = sorted(service.service_areas.values_list("area__code", flat=True))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def refresh_search_text(service: Service) -> None:
    """Fold the words the service is found by into one field (see ``search_words``)."""
    text = search_words.compose(
        service,
        organization=service.organization,
        terms=service.terms.all(),
        locations=[
            sal.location
            for sal in service.service_at_locations.select_related("location", "location__admin1")
        ],
        areas=[reach.area for reach in service.service_areas.select_related("area")],
    )
    Service.objects.filter(pk=service.pk).update(search_text=text)
    service.search_text = text


def set_service_areas(service: Service, areas: Iterable[AdminArea]) -> None:
    """Make ``areas`` the service's service areas (for a ``save_service`` hook).

    Keeps the rows (and their HSDS ids) of the areas that stay.
    """
    wanted = {area.pk for area in areas}
    service.service_areas.exclude(area_id__in=wanted).delete()
    present = set(service.service_areas.values_list("area_id", flat=True))
    ServiceArea.objects.bulk_create(
        [ServiceArea(service=service, area_id=pk) for pk in sorted(wanted - present)]
    )


def record_change(
    actor: User | None, service: Service, action: str, before: dict[str, Any], request: Any = None
) -> ServiceChange | None:
    changes = diff(before, snapshot(service))
    if action == "created":  # a new entry: list what was filled in, not every empty field
        changes = {
            key: value for key, value in changes.items() if value[1] not in ("", None, [], False)
        }
    if not changes and action == "updated":
        return None
    entry = ServiceChange.objects.create(
        service=service, actor=actor, action=action, changes=changes
    )
    record(
        f"service.{action}",
        actor=actor,
        request=request,
        obj=service,
        organization=service.organization,
        details={"fields": sorted(changes)},
    )
    return entry


@transaction.atomic
def save_service(
    actor: User | None,
    service: Service,
    *,
    before: dict[str, Any] | None = None,
    save_related: Any = None,
    request: Any = None,
) -> Service:
    """Persist ``service`` (already validated) and whatever ``save_related`` writes.

    ``before`` is ``snapshot(service)`` taken before the form touched it (None: new).
    """
    created = service.pk is None
    service.save()
    if save_related is not None:
        save_related(service)
    refresh_search_text(service)
    record_change(actor, service, "created" if created else "updated", before or {}, request)
    return service


@transaction.atomic
def save_edited_service(
    actor: User,
    service: Service,
    *,
    terms: Iterable[TaxonomyTerm],
    edited_taxonomies: Iterable[str],
    locations: Iterable[Location],
    offered_locations: QuerySet[Location],
    areas: Iterable[AdminArea],
    rows: Iterable[BaseInlineFormSet[Any, Any, Any]] = (),
    save_m2m: Callable[[], None] | None = None,
    before: dict[str, Any] | None = None,
    request: Any = None,
) -> Service:
    """Save an entry from the editor, then what hangs from it: its terms in the
    ``edited_taxonomies`` (terms of the others stay), its rows (phones, hours, closures),
    the ``locations`` it is offered at among the ``offered_locations`` the editor may
    choose (the others stay), and the ``areas`` it reaches."""
    edited = list(edited_taxonomies)

    def save_related(saved: Service) -> None:
        if save_m2m is not None:
            save_m2m()
        kept = saved.terms.exclude(taxonomy__code__in=edited)
        saved.terms.set([*terms, *kept])
        for formset in rows:
            formset.instance = saved
            formset.save()
        wanted = {location.pk for location in locations}
        ServiceAtLocation.objects.filter(service=saved, location__in=offered_locations).exclude(
            location_id__in=wanted
        ).delete()
        present = set(
            ServiceAtLocation.objects.filter(service=saved).values_list("location_id", flat=True)
        )
        ServiceAtLocation.objects.bulk_create(
            [ServiceAtLocation(service=saved, location_id=pk) for pk in sorted(wanted - present)]
        )
        set_service_areas(saved, areas)

    return save_service(actor, service, before=before, save_related=save_related, request=request)


@transaction.atomic
def verify_service(actor: User, service: Service, request: Any = None) -> Service:
    """The editor confirms the entry is still accurate today."""
    before = snapshot(service)
    service.last_verified_at = timezone.now()
    service.last_verified_by = actor
    service.save(update_fields=["last_verified_at", "last_verified_by", "updated_at"])
    record_change(actor, service, "verified", before, request)
    return service


@transaction.atomic
def set_service_status(actor: User, service: Service, status: str, request: Any = None) -> Service:
    from ruta.directory.models import ServiceStatus

    if status not in ServiceStatus.values:
        raise DirectoryError(_("Unknown status."))
    before = snapshot(service)
    service.status = status
    service.save(update_fields=["status", "updated_at"])
    record_change(actor, service, "status_changed", before, request)
    return service


# --- Locations ----------------------------------------------------------------------

LOCATION_FIELDS = (
    "organization",
    "name",
    "address",
    "city",
    "country",
    "admin1",
    "admin2",
    "latitude",
    "longitude",
    "accessibility",
    "transportation",
)


def location_snapshot(location: Any) -> dict[str, Any]:
    return {name: _plain(getattr(location, name)) for name in LOCATION_FIELDS}


@transaction.atomic
def save_location(
    actor: User | None, location: Any, *, before: dict[str, Any] | None = None, request: Any = None
) -> Any:
    """Persist ``location`` (already validated), audit it, refresh its services' search text.

    ``before`` is ``location_snapshot(location)`` taken before it was changed (None: new).
    """
    created = location.pk is None
    location.save()
    changed = sorted(diff(before or {}, location_snapshot(location)))
    if not created:
        for service in Service.objects.filter(
            service_at_locations__location=location
        ).select_related("organization"):
            refresh_search_text(service)
    if created or changed:
        record(
            "location.created" if created else "location.updated",
            actor=actor,
            request=request,
            obj=location,
            organization=location.organization,
            details={"fields": changed},
        )
    return location


# --- Taxonomy terms and stale reminders (staff editor area) ---------------------------

TERM_FIELDS = (
    "code",
    "name_es",
    "name_en",
    "description_es",
    "description_en",
    "position",
    "active",
)


def term_snapshot(term: TaxonomyTerm) -> dict[str, Any]:
    return {name: _plain(getattr(term, name)) for name in TERM_FIELDS}


@transaction.atomic
def save_term(
    actor: User, term: TaxonomyTerm, *, before: dict[str, Any] | None = None, request: Any = None
) -> TaxonomyTerm:
    """Persist a new or edited taxonomy term (already validated) and audit the change.

    A term's code cannot change once a service uses it (exports and filters refer to it).
    Renaming refreshes the search text of the services that carry the term.
    """
    created = term.pk is None
    if not created and before and before.get("code") != term.code and term.services.exists():
        raise DirectoryError(_("The code of a term in use cannot change."))
    if created:
        wanted = term_uuid(term.taxonomy.code, term.code)
        if not TaxonomyTerm.objects.filter(uuid=wanted).exists():
            term.uuid = wanted  # the same id as any installation with this vocabulary
    term.save()
    changed = sorted(diff(before or {}, term_snapshot(term)))
    if not created and {"name_es", "name_en"} & set(changed):
        for service in term.services.select_related("organization"):
            refresh_search_text(service)
    if created or changed:
        record(
            "taxonomy_term.created" if created else "taxonomy_term.updated",
            actor=actor,
            request=request,
            obj=term,
            details={"taxonomy": term.taxonomy.code, "code": term.code, "fields": changed},
        )
    return term


@transaction.atomic
def mark_stale_reminded(
    organization: Any, services: Iterable[Service], *, recipients: int, now: Any = None
) -> int:
    """Note that the people in charge were reminded of these stale services; audit it."""
    ids = [service.pk for service in services]
    count = Service.objects.filter(pk__in=ids).update(stale_reminded_at=now or timezone.now())
    record(
        "directory.stale_reminder",
        organization=organization,
        obj=organization,
        details={"services": count, "recipients": recipients},
    )
    return count


def everyday_word_snapshot(word: EverydayWord) -> dict[str, Any]:
    fields = ("phrase", "language", "usage", "active")
    snapshot: dict[str, Any] = {name: getattr(word, name) for name in fields}
    snapshot["terms"] = sorted(word.terms.values_list("code", flat=True)) if word.pk else []
    return snapshot


def save_everyday_word(
    actor: User,
    word: EverydayWord,
    terms: Iterable[TaxonomyTerm],
    *,
    before: dict[str, Any] | None = None,
    request: Any = None,
) -> EverydayWord:
    """Persist a new or edited everyday word (already validated) and audit the change.

    The audit keeps the changed field names and the word's id, never what was typed: a
    vocabulary entry is public wording, but the log holds ids and codes only.
    """
    created = word.pk is None
    with transaction.atomic():
        word.save()
        word.terms.set(list(terms))
    changed = sorted(diff(before or {}, everyday_word_snapshot(word)))
    if created or changed:
        record(
            "everyday_word.created" if created else "everyday_word.updated",
            actor=actor,
            request=request,
            obj=word,
            details={"fields": changed},
        )
    return word
