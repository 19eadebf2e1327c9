"""Every change to the directory: audited, with a change history editors can read."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import date, time
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Model, QuerySet
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.accounts.models import User
from ruta.audit.actions import record, record_many
from ruta.directory import search_words
from ruta.directory.models import (
    Closure,
    EverydayWord,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceChange,
    TaxonomyTerm,
    Weekday,
)
from ruta.directory.vocabularies import term_uuid
from ruta.lib.bulk import insert_rows, update_column
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


def _phone_label(number: str, whatsapp: bool, free_line: bool) -> str:
    return f"{number}{' (WhatsApp)' if whatsapp else ''}{FREE_LINE_MARK if free_line else ''}"


def _field_snapshot(service: Service) -> dict[str, Any]:
    return {
        field.name: _plain(getattr(service, field.name))
        for field in Service._meta.concrete_fields
        if field.name not in {"id", "uuid", "search_text", "created_at", "updated_at"}
    }


def snapshot(service: Service) -> dict[str, Any]:
    """Field values that the change history compares (``related_rows`` gives the same for
    many services at once)."""
    data = _field_snapshot(service)
    if service.pk:
        data["terms"] = sorted(term.code for term in service.terms.all())
        data["phones"] = sorted(
            _phone_label(p.number, p.whatsapp, p.free_line) for p in service.phones.all()
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


# --- Many services at once (an import) ---------------------------------------------------

# Services handled per round of queries by the bulk functions.
BULK_CHUNK = 500


class _Area(NamedTuple):
    code: str
    name_es: str
    name_en: str


class _Place(NamedTuple):
    name: str
    city: str
    address: str
    admin1: _Area | None


@dataclasses.dataclass
class Related:
    """What ``snapshot`` and the search text read of one service's related rows, as plain
    values (read for many services at once by ``related_rows``)."""

    terms: list[TaxonomyTerm] = dataclasses.field(default_factory=list)
    phones: list[tuple[str, bool, bool]] = dataclasses.field(default_factory=list)
    schedules: list[tuple[int, time, time]] = dataclasses.field(default_factory=list)
    closures: list[tuple[date, str]] = dataclasses.field(default_factory=list)
    places: list[_Place] = dataclasses.field(default_factory=list)
    areas: list[_Area] = dataclasses.field(default_factory=list)

    def snapshot(self, service: Service, days: dict[int, str]) -> dict[str, Any]:
        """``snapshot(service)``, from these rows; ``days``: the weekday names."""
        data = _field_snapshot(service)
        data["terms"] = sorted(term.code for term in self.terms)
        data["phones"] = sorted(_phone_label(*phone) for phone in self.phones)
        data["schedules"] = sorted(
            f"{days.get(day, day)} {opens:%H:%M}-{closes:%H:%M}"
            for day, opens, closes in self.schedules
        )
        data["closures"] = sorted(
            f"{on.isoformat()} {reason}".strip() for on, reason in self.closures
        )
        data["locations"] = sorted(place.name for place in self.places)
        data["service_areas"] = sorted(area.code for area in self.areas)
        return data

    def search_text(self, service: Service) -> str:
        return search_words.compose(
            service,
            organization=service.organization,
            terms=self.terms,
            locations=self.places,
            areas=self.areas,
        )


def related_rows(pks: list[int]) -> dict[int, Related]:
    """The ``Related`` of each of these services, in six queries (plain values, no model
    instance per row: an import reads hundreds of thousands of them)."""
    found = {pk: Related() for pk in pks}
    through = Service.terms.through.objects.filter(service_id__in=pks)
    links = list(through.values_list("service_id", "taxonomyterm_id"))
    # In the terms' own order, as ``service.terms.all()`` gives them.
    terms = list(TaxonomyTerm.objects.filter(pk__in={term for _pk, term in links}))
    rank = {term.pk: index for index, term in enumerate(terms)}
    for pk, term in sorted(links, key=lambda link: rank[link[1]]):
        found[pk].terms.append(terms[rank[term]])
    phones = Phone.objects.filter(service_id__in=pks)
    for pk, *phone in phones.values_list("service_id", "number", "whatsapp", "free_line"):
        found[pk].phones.append(tuple(phone))  # type: ignore[arg-type]
    hours = Schedule.objects.filter(service_id__in=pks)
    for pk, *row in hours.values_list("service_id", "weekday", "opens_at", "closes_at"):
        found[pk].schedules.append(tuple(row))  # type: ignore[arg-type]
    for pk, on, reason in Closure.objects.filter(service_id__in=pks).values_list(
        "service_id", "date", "reason"
    ):
        found[pk].closures.append((on, reason))
    at = ServiceAtLocation.objects.filter(service_id__in=pks).values_list(
        "service_id",
        "location__name",
        "location__city",
        "location__address",
        "location__admin1__code",
        "location__admin1__name_es",
        "location__admin1__name_en",
    )
    for pk, name, city, address, code, name_es, name_en in at:
        admin1 = _Area(code, name_es, name_en) if code is not None else None
        found[pk].places.append(_Place(name, city, address, admin1))
    reached = ServiceArea.objects.filter(service_id__in=pks).values_list(
        "service_id", "area__code", "area__name_es", "area__name_en"
    )
    for pk, code, name_es, name_en in reached:
        found[pk].areas.append(_Area(code, name_es, name_en))
    return found


def weekday_names() -> dict[int, str]:
    """What ``Schedule.get_weekday_display`` says for each day, in the active language."""
    return {value: str(label) for value, label in Weekday.choices}


def snapshots(services: list[Service]) -> dict[int, dict[str, Any]]:
    """``snapshot`` of each of these saved services, by pk, in six queries per chunk."""
    days = weekday_names()
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(services), BULK_CHUNK):
        chunk = services[start : start + BULK_CHUNK]
        related = related_rows([service.pk for service in chunk])
        for service in chunk:
            found[service.pk] = related[service.pk].snapshot(service, days)
    return found


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


def _changes(
    after: dict[str, Any], action: str, before: dict[str, Any]
) -> dict[str, list[Any]] | None:
    """What the change history records of a service (None: nothing changed)."""
    changes = diff(before, after)
    if action == "created":  # a new entry: list what was filled in, not every empty field
        changes = {
            key: value for key, value in changes.items() if value[1] not in ("", None, [], False)
        }
    if not changes and action == "updated":
        return None
    return changes


def record_change(
    actor: User | None, service: Service, action: str, before: dict[str, Any], request: Any = None
) -> ServiceChange | None:
    changes = _changes(snapshot(service), action, before)
    if changes is None:
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


def record_bulk_saves(
    actor: User | None, services: list[Service], befores: dict[int, dict[str, Any]]
) -> int:
    """After many services were written at once (an import): their search text, change
    history and audit events, as ``save_service`` records them one by one, in a bounded
    number of queries. ``befores`` maps the pk of each service that existed to its
    ``snapshot`` taken before the write; the others were created. Returns how many
    history entries were written."""
    entries: list[ServiceChange] = []
    events: list[dict[str, Any]] = []
    days = weekday_names()
    for start in range(0, len(services), BULK_CHUNK):
        chunk = services[start : start + BULK_CHUNK]
        related = related_rows([service.pk for service in chunk])
        texts: list[tuple[int, str]] = []
        for service in chunk:
            rows = related[service.pk]
            text = rows.search_text(service)
            if text != service.search_text:
                service.search_text = text
                texts.append((service.pk, text))
            action = "updated" if service.pk in befores else "created"
            changes = _changes(rows.snapshot(service, days), action, befores.get(service.pk, {}))
            if changes is not None:
                entries.append(
                    ServiceChange(service=service, actor=actor, action=action, changes=changes)
                )
                events.append(
                    {
                        "action": f"service.{action}",
                        "actor": actor,
                        "obj": service,
                        "organization": service.organization,
                        "details": {"fields": sorted(changes)},
                    }
                )
        update_column(Service, "search_text", texts)
    insert_rows(ServiceChange, entries)
    record_many(events)
    return len(entries)


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
