"""The staff directory: list, read, create, edit and verify services; locations; taxonomies.

Reading is for anyone logged in and shows ``access.visible_services`` (published entries
plus drafts of one's own organization). Editing needs ``Cap.MANAGE_AGENCY_SERVICES`` and
is scoped by ``access.editable_*``: an entry out of reach is a 404. Taxonomy terms need
``Cap.MANAGE_DIRECTORY``. Every change goes through ``actions``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ruta.accounts.http import AuthenticatedRequest

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ruta.directory import actions, extras
from ruta.directory.access import (
    editable_organization_ids,
    get_editable_location,
    get_editable_service,
    may_edit_in,
    stale_services,
    visible_locations,
    visible_services,
)
from ruta.directory.forms import (
    TERM_GROUPS,
    EverydayWordForm,
    LocationForm,
    ServiceFilterForm,
    ServiceForm,
    TermForm,
    area_options,
    child_areas,
    country_areas,
    service_formsets,
)
from ruta.directory.models import (
    EverydayWord,
    IntakeStatus,
    Location,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceChange,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
    Weekday,
)
from ruta.directory.search import FinderQuery, find_services
from ruta.lib.geo import country_name, language_names
from ruta.lib.pagination import paginate, querystring_without_page
from ruta.lib.permissions import Cap, capability_required, login_only, user_can
from ruta.lib.text import fold
from ruta.lib.translated import localized
from ruta.places.models import AdminArea
from ruta.ui.forms import error_summary

PER_PAGE = 30


def _language() -> str:
    return (get_language() or "es")[:2]


def _detail_url(service: Service) -> str:
    return reverse("directory:service_detail", kwargs={"service_uuid": service.uuid})


# --- Services: list -------------------------------------------------------------------


@login_only
@require_GET
def service_list_view(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = ServiceFilterForm(request.GET or None)
    organization = form.value("organization")
    query = FinderQuery(
        text=form.value("q") or "", organization=str(organization.uuid) if organization else ""
    )
    services = find_services(visible_services(user), query).select_related("last_verified_by")
    if form.value("status"):
        services = services.filter(status=form.value("status"))
    if form.value("stale"):
        services = stale_services(services)
    page = paginate(request, services, per_page=PER_PAGE)
    scope = editable_organization_ids(user)
    rows = [
        {
            "service": service,
            "stale": service.status != ServiceStatus.CLOSED and service.is_stale(),
            "can_edit": may_edit_in(scope, service.organization_id),
        }
        for service in page
    ]
    own_stale = None
    if scope is not None and scope:  # an agency admin: a reminder about their own entries
        own_stale = stale_services(Service.objects.filter(organization_id__in=scope)).count()
    return render(
        request,
        "directory/editor/service_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": querystring_without_page(request),
            "can_create": user_can(user, Cap.MANAGE_AGENCY_SERVICES),
            "own_stale": own_stale,
            "own_organization": getattr(user, "organization", None),
            "verify_days": _verify_days(),
        },
    )


def _verify_days() -> int:
    from django.conf import settings

    return int(settings.RUTA_VERIFY_DAYS)


# --- Services: detail, verify, status --------------------------------------------------

ACTION_LABELS = {
    "created": pgettext_lazy("change history", "Created"),
    "updated": pgettext_lazy("change history", "Edited"),
    "verified": pgettext_lazy("change history", "Confirmed as accurate"),
    "status_changed": pgettext_lazy("change history", "Status changed"),
    "imported": pgettext_lazy("change history", "Imported"),
}
EXTRA_LABELS = {
    "terms": gettext_lazy("Classification"),
    "phones": gettext_lazy("Phones"),
    "schedules": gettext_lazy("Opening hours"),
    "locations": gettext_lazy("Locations"),
    "closures": gettext_lazy("Closed on these days"),
    "service_areas": gettext_lazy("Areas it reaches"),
}
CHOICE_LABELS: dict[str, dict[str, Any]] = {
    "status": dict(ServiceStatus.choices),
    "intake_status": dict(IntakeStatus.choices),
}


def _field_label(name: str) -> str:
    if name in EXTRA_LABELS:
        return str(EXTRA_LABELS[name])
    try:
        return capfirst(str(getattr(Service._meta.get_field(name), "verbose_name", name)))
    except Exception:  # a field that no longer exists: show its name
        return name


def _show_value(
    name: str, value: Any, term_names: dict[str, str], area_names: dict[str, str]
) -> str:
    """One side of a change, readable: labels for choices, Yes/No, dates, term and area names."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if name in CHOICE_LABELS:
        return str(CHOICE_LABELS[name].get(value, value))
    if name == "terms" and isinstance(value, list):
        return ", ".join(term_names.get(str(code), str(code)) for code in value)
    if name == "service_areas" and isinstance(value, list):
        return ", ".join(area_names.get(str(code), str(code)) for code in value)
    if name == "phones" and isinstance(value, list):
        mark = f" ({_('free line')})"
        return ", ".join(str(item).replace(actions.FREE_LINE_MARK, mark) for item in value)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, str) and name.endswith("_at"):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return str(value)


def _history(service: Service) -> list[dict[str, Any]]:
    entries = list(ServiceChange.objects.filter(service=service).select_related("actor")[:50])
    term_names = {
        term.code: term.name for term in TaxonomyTerm.objects.only("code", "name_es", "name_en")
    }
    area_codes: set[str] = set()
    for entry in entries:
        pair = entry.changes.get("service_areas") if isinstance(entry.changes, dict) else None
        for side in pair if isinstance(pair, list) else []:
            area_codes.update(str(code) for code in side or [])
    area_names = (
        {area.code: area.name for area in AdminArea.objects.filter(code__in=area_codes)}
        if area_codes
        else {}
    )
    history = []
    for entry in entries:
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        history.append(
            {
                "at": entry.at,
                "actor": entry.actor,
                "action": ACTION_LABELS.get(entry.action, entry.action),
                "created": entry.action == "created",
                "fields": [
                    {
                        "label": _field_label(name),
                        "old": _show_value(name, pair[0], term_names, area_names),
                        "new": _show_value(name, pair[1], term_names, area_names),
                    }
                    for name, pair in sorted(changes.items())
                    if isinstance(pair, list | tuple)
                    and len(pair) == 2
                    and name != "stale_reminded_at"
                ],
            }
        )
    return history


def _language_names(codes: list[str]) -> list[str]:
    """Language names with their codes, as editors type them: "Español (es)"."""
    names = language_names(codes, _language())
    return [f"{name} ({code})" for name, code in zip(names, codes, strict=True)]


def _modalities(service: Service) -> list[str]:
    return [
        capfirst(str(getattr(Service._meta.get_field(name), "verbose_name", name)))
        for name in ("in_person", "by_phone", "online", "outreach")
        if getattr(service, name)
    ]


def _ages(service: Service) -> str:
    low, high = service.minimum_age, service.maximum_age
    if low is not None and high is not None:
        return _("From %(low)s to %(high)s years old") % {"low": low, "high": high}
    if low is not None:
        return _("From %(low)s years old") % {"low": low}
    if high is not None:
        return _("Up to %(high)s years old") % {"high": high}
    return _("All ages")


def _reach(service: Service) -> list[str]:
    """The service areas by country, from the prefetched rows: "Tumbes, Piura (Perú)",
    or "Perú (every region)" when all of a country's regions are chosen."""
    by_country: dict[str, list[AdminArea]] = {}
    for reach in service.service_areas.all():
        by_country.setdefault(reach.area.country, []).append(reach.area)
    if not by_country:
        return []
    regions = dict(
        AdminArea.objects.filter(level=1, country__in=by_country)
        .order_by()
        .values("country")
        .annotate(total=Count("id"))
        .values_list("country", "total")
    )
    lines = []
    for country, areas in by_country.items():
        name = country_name(country, _language())
        level1 = [area for area in areas if area.level == 1]
        if regions.get(country) and len(level1) >= regions[country]:
            lines.append(_("%(country)s (every region)") % {"country": name})
            continue
        names = ", ".join(sorted((area.name for area in areas), key=fold))
        lines.append(f"{names} ({name})")
    return sorted(lines, key=fold)


def _week(service: Service) -> list[dict[str, Any]]:
    """Opening hours grouped by day, from the prefetched schedules."""
    days: dict[int, list[str]] = {}
    for slot in service.schedules.all():
        days.setdefault(slot.weekday, []).append(
            f"{slot.opens_at:%H:%M}\u2013{slot.closes_at:%H:%M}"
        )
    labels = dict(Weekday.choices)
    return [
        {"label": capfirst(str(labels[day])), "slots": ", ".join(slots)}
        for day, slots in sorted(days.items())
    ]


@login_only
@require_GET
def service_detail_view(request: AuthenticatedRequest, service_uuid: Any) -> HttpResponse:
    services = (
        visible_services(request.user)
        .select_related("organization", "last_verified_by")
        .prefetch_related(
            "phones",
            "schedules",
            "closures",
            "kept_records",  # what an import received that Ruta has no column for (extras)
            Prefetch("service_areas", queryset=ServiceArea.objects.select_related("area")),
            Prefetch("terms", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related(
                    "location", "location__admin1", "location__admin2"
                ),
            ),
        )
    )
    service = get_object_or_404(services, uuid=service_uuid)
    can_edit = may_edit_in(editable_organization_ids(request.user), service.organization_id)
    terms = list(service.terms.all())
    groups = [
        (field, [term for term in terms if term.taxonomy.code == taxonomy])
        for field, taxonomy in TERM_GROUPS
    ]
    labels = {
        "sectors": _("Kind of help"),
        "profiles": _("For whom"),
        "layers": _("IASC pyramid layer"),
    }
    today = timezone.localdate()
    context: dict[str, Any] = {
        "service": service,
        "extras": extras.of(service),
        "organization": service.organization,
        "stale": service.status != ServiceStatus.CLOSED and service.is_stale(),
        "verify_days": _verify_days(),
        "can_edit": can_edit,
        "term_groups": [(labels[field], items) for field, items in groups],
        "languages": _language_names(service.languages or []),
        "modalities": _modalities(service),
        "ages": _ages(service),
        "week": _week(service),
        "locations": [
            {
                "location": sal.location,
                "country": country_name(sal.location.country, _language()),
            }
            for sal in service.service_at_locations.all()
        ],
        "reach": _reach(service),
        "closures": [c for c in service.closures.all() if c.date >= today],
        "statuses": [(v, label) for v, label in ServiceStatus.choices if v != service.status],
    }
    if can_edit:
        context["history"] = _history(service)
    return render(request, "directory/editor/service_detail.html", context)


@capability_required(Cap.MANAGE_AGENCY_SERVICES)
@require_POST
def service_verify_view(request: AuthenticatedRequest, service_uuid: Any) -> HttpResponse:
    service = get_editable_service(request.user, service_uuid)
    actions.verify_service(request.user, service, request=request)
    messages.success(request, _("Thank you: the entry is marked as verified today."))
    return HttpResponseRedirect(_detail_url(service))


@capability_required(Cap.MANAGE_AGENCY_SERVICES)
@require_POST
def service_status_view(request: AuthenticatedRequest, service_uuid: Any) -> HttpResponse:
    service = get_editable_service(request.user, service_uuid)
    status = request.POST.get("status", "")
    if status == service.status:
        return HttpResponseRedirect(_detail_url(service))
    try:
        actions.set_service_status(request.user, service, status, request=request)
    except actions.DirectoryError as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(_detail_url(service))
    notes = {
        ServiceStatus.ACTIVE: _("The service is active: it is published in the public finder."),
        ServiceStatus.DRAFT: _(
            "The service is a draft: only staff of its organization and coordinators see it."
        ),
        ServiceStatus.SUSPENDED: _("The service is suspended: it is no longer published."),
        ServiceStatus.CLOSED: _("The service is closed: it is no longer published."),
    }
    messages.success(request, notes[ServiceStatus(service.status)])
    return HttpResponseRedirect(_detail_url(service))


# --- Services: create and edit ---------------------------------------------------------


def _service_form(request: AuthenticatedRequest, service: Service) -> HttpResponse:
    creating = service.pk is None
    # The change history compares with the entry as it was before the form touched it.
    before = None if creating else actions.snapshot(service)
    if request.method == "POST":
        form = ServiceForm(request.POST, instance=service, user=request.user)
        formsets = service_formsets(request.POST, service)
        valid = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
        if all(valid):
            saved = actions.save_edited_service(
                request.user,
                form.save(commit=False),
                terms=form.chosen_terms(),
                edited_taxonomies=[code for _field, code in TERM_GROUPS],
                locations=form.cleaned_data.get("locations") or [],
                offered_locations=form.fields["locations"].queryset,  # type: ignore[attr-defined]
                areas=form.chosen_areas(),
                rows=formsets.values(),
                save_m2m=form.save_m2m,
                before=before,
                request=request,
            )
            messages.success(
                request,
                _("The service was created.") if creating else _("The changes were saved."),
            )
            return HttpResponseRedirect(_detail_url(saved))
    else:
        form = ServiceForm(instance=service, user=request.user)
        formsets = service_formsets(None, service)
    errors = error_summary(form, formsets.values()) if form.is_bound else []
    return render(
        request,
        "directory/editor/service_form.html",
        {
            "form": form,
            "formsets": formsets,
            "errors": errors,
            "service": None if creating else service,
            "weekdays": Weekday.choices,
        },
        status=400 if errors else 200,
    )


@capability_required(Cap.MANAGE_AGENCY_SERVICES)
@require_http_methods(["GET", "POST"])
def service_create_view(request: AuthenticatedRequest) -> HttpResponse:
    return _service_form(request, Service())


@capability_required(Cap.MANAGE_AGENCY_SERVICES)
@require_http_methods(["GET", "POST"])
def service_edit_view(request: AuthenticatedRequest, service_uuid: Any) -> HttpResponse:
    service = get_editable_service(request.user, service_uuid)
    return _service_form(request, service)


# --- Locations -------------------------------------------------------------------------


@login_only
@require_GET
def location_list_view(request: AuthenticatedRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:200]
    locations: QuerySet[Location] = (
        visible_locations(request.user)
        .select_related("organization", "admin1")
        .annotate(service_count=Count("service_at_locations", distinct=True))
        .order_by("organization__name", "name")
    )
    if text:
        locations = locations.filter(
            Q(name__icontains=text) | Q(city__icontains=text) | Q(address__icontains=text)
        )
    page = paginate(request, locations, per_page=50)
    scope = editable_organization_ids(request.user)
    rows = [
        {
            "location": location,
            "country": country_name(location.country, _language()),
            "can_edit": may_edit_in(scope, location.organization_id),
        }
        for location in page
    ]
    return render(
        request,
        "directory/editor/location_list.html",
        {
            "page": page,
            "rows": rows,
            "text": text,
            "query": querystring_without_page(request),
            "can_create": user_can(request.user, Cap.MANAGE_AGENCY_SERVICES),
        },
    )


def _location_form(request: AuthenticatedRequest, location: Location) -> HttpResponse:
    creating = location.pk is None
    before = None if creating else actions.location_snapshot(location)
    if request.method == "POST":
        form = LocationForm(request.POST, instance=location, user=request.user)
        if form.is_valid():
            saved = actions.save_location(
                request.user, form.save(commit=False), before=before, request=request
            )
            messages.success(
                request,
                _("The location “%(name)s” was saved.") % {"name": saved.name},
            )
            return HttpResponseRedirect(reverse("directory:location_list"))
    else:
        form = LocationForm(instance=location, user=request.user)
    errors = error_summary(form) if form.is_bound else []
    return render(
        request,
        "directory/editor/location_form.html",
        {"form": form, "errors": errors, "location": None if creating else location},
        status=400 if errors else 200,
    )


@capability_required(Cap.MANAGE_AGENCY_SERVICES)
@require_http_methods(["GET", "POST"])
def location_create_view(request: AuthenticatedRequest) -> HttpResponse:
    return _location_form(request, Location())


@capability_required(Cap.MANAGE_AGENCY_SERVICES)
@require_http_methods(["GET", "POST"])
def location_edit_view(request: AuthenticatedRequest, location_uuid: Any) -> HttpResponse:
    return _location_form(request, get_editable_location(request.user, location_uuid))


@login_only
@require_GET
def area_options_view(request: AuthenticatedRequest) -> HttpResponse:
    """``<option>``s for the location form (htmx): regions of a country, districts of a region.

    Administrative areas are public reference data (ISO 3166-2, P-codes).
    """
    country = request.GET.get("country", "").strip().upper()[:2]
    if country:
        options = area_options(country_areas(country), _("Choose a region"))
        empty = area_options([], _("No district chosen"))
        return render(
            request,
            "directory/editor/_area_options.html",
            {"options": options, "reset_admin2": empty},
        )
    parent = AdminArea.objects.filter(level=1, code=request.GET.get("admin1", "")).first()
    options = area_options(child_areas(parent), _("No district chosen"))
    return render(request, "directory/editor/_area_options.html", {"options": options})


# --- Taxonomies ------------------------------------------------------------------------


@login_only
@require_GET
def taxonomy_list_view(request: AuthenticatedRequest) -> HttpResponse:
    terms = TaxonomyTerm.objects.annotate(service_count=Count("services", distinct=True)).order_by(
        "position", "code"
    )
    order = [code for _field, code in TERM_GROUPS]
    taxonomies = sorted(
        Taxonomy.objects.prefetch_related(Prefetch("terms", queryset=terms)),
        key=lambda t: (order.index(t.code) if t.code in order else len(order), t.code),
    )
    return render(
        request,
        "directory/editor/taxonomy_list.html",
        {
            "taxonomies": [
                {"taxonomy": taxonomy, "description": localized(taxonomy, "description")}
                for taxonomy in taxonomies
            ],
            "can_manage": user_can(request.user, Cap.MANAGE_DIRECTORY),
        },
    )


def _term_form(
    request: AuthenticatedRequest, taxonomy: Taxonomy, term: TaxonomyTerm
) -> HttpResponse:
    creating = term.pk is None
    before = None if creating else actions.term_snapshot(term)
    if request.method == "POST":
        form = TermForm(request.POST, instance=term, taxonomy=taxonomy)
        if form.is_valid():
            try:
                saved = actions.save_term(
                    request.user, form.save(commit=False), before=before, request=request
                )
            except actions.DirectoryError as exc:
                form.add_error("code", str(exc))
            else:
                messages.success(
                    request, _("The term “%(name)s” was saved.") % {"name": saved.name}
                )
                return HttpResponseRedirect(
                    reverse("directory:taxonomy_list") + f"#taxonomy-{taxonomy.code}"
                )
    else:
        form = TermForm(instance=term, taxonomy=taxonomy)
    errors = error_summary(form) if form.is_bound else []
    return render(
        request,
        "directory/editor/term_form.html",
        {
            "form": form,
            "errors": errors,
            "taxonomy": taxonomy,
            "term": None if creating else term,
            "usage": 0 if creating else term.services.count(),
        },
        status=400 if errors else 200,
    )


@capability_required(Cap.MANAGE_DIRECTORY)
@require_http_methods(["GET", "POST"])
def term_create_view(request: AuthenticatedRequest, taxonomy_uuid: Any) -> HttpResponse:
    taxonomy = get_object_or_404(Taxonomy, uuid=taxonomy_uuid)
    last = taxonomy.terms.order_by("-position").values_list("position", flat=True).first()
    term = TaxonomyTerm(taxonomy=taxonomy, position=(last or 0) + 1)
    return _term_form(request, taxonomy, term)


@capability_required(Cap.MANAGE_DIRECTORY)
@require_http_methods(["GET", "POST"])
def term_edit_view(request: AuthenticatedRequest, term_uuid: Any) -> HttpResponse:
    term = get_object_or_404(TaxonomyTerm.objects.select_related("taxonomy"), uuid=term_uuid)
    return _term_form(request, term.taxonomy, term)


# --- Everyday words --------------------------------------------------------------------


@capability_required(Cap.MANAGE_DIRECTORY)
@require_GET
def everyday_word_list_view(request: AuthenticatedRequest) -> HttpResponse:
    """The words people type for their needs, and what the finder reads them as."""
    words = EverydayWord.objects.prefetch_related("terms").order_by("-active", "folded")
    return render(
        request, "directory/editor/everyday_word_list.html", {"words": words, "total": len(words)}
    )


def _everyday_word_form(request: AuthenticatedRequest, word: EverydayWord) -> HttpResponse:
    creating = word.pk is None
    before = None if creating else actions.everyday_word_snapshot(word)
    if request.method == "POST":
        form = EverydayWordForm(request.POST, instance=word)
        if form.is_valid():
            saved = actions.save_everyday_word(
                request.user,
                form.save(commit=False),
                form.cleaned_data["terms"],
                before=before,
                request=request,
            )
            messages.success(request, _("“%(phrase)s” was saved.") % {"phrase": saved.phrase})
            return HttpResponseRedirect(reverse("directory:everyday_word_list"))
    else:
        form = EverydayWordForm(instance=word)
    errors = error_summary(form) if form.is_bound else []
    return render(
        request,
        "directory/editor/everyday_word_form.html",
        {"form": form, "errors": errors, "word": None if creating else word},
        status=400 if errors else 200,
    )


@capability_required(Cap.MANAGE_DIRECTORY)
@require_http_methods(["GET", "POST"])
def everyday_word_create_view(request: AuthenticatedRequest) -> HttpResponse:
    return _everyday_word_form(request, EverydayWord())


@capability_required(Cap.MANAGE_DIRECTORY)
@require_http_methods(["GET", "POST"])
def everyday_word_edit_view(request: AuthenticatedRequest, word_uuid: Any) -> HttpResponse:
    return _everyday_word_form(request, get_object_or_404(EverydayWord, uuid=word_uuid))
