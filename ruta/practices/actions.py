"""Every change to a practice: one function per step, atomic and audited.

The workflow: draft → submitted → reviewed → published, with "return" (from submitted
or reviewed, with comments) back to draft and "unpublish" back to draft. An illegal step
raises ``PracticeError`` (the views answer 409 with its message). Who may act: the
owning organization's agency admins and the practice-hub managers edit and submit; only
hub managers review, return, publish and unpublish.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ruta.audit.actions import record
from ruta.lib.geo import country_name
from ruta.lib.permissions import Cap, user_can
from ruta.lib.text import fold
from ruta.practices.access import can_work_on
from ruta.practices.models import (
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    TEXT_FIELDS,
    Practice,
    PracticeAttachment,
    PracticeCountry,
    PracticeReview,
    PracticeStatus,
    ReviewDecision,
    Theme,
)

S = PracticeStatus

# step: (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({S.DRAFT}), S.SUBMITTED),
    "review": (frozenset({S.SUBMITTED}), S.REVIEWED),
    "return": (frozenset({S.SUBMITTED, S.REVIEWED}), S.DRAFT),
    "publish": (frozenset({S.REVIEWED}), S.PUBLISHED),
    "unpublish": (frozenset({S.PUBLISHED}), S.DRAFT),
}

RELATIONS = (
    "organizations",
    "themes",
    "iasc_layers",
    "sdgs",
    "gcm_objectives",
    "guiding_principles",
)
PLAIN_FIELDS = (
    "code",
    "title_es",
    "title_en",
    "illustrative",
    "other_organizations",
    "territories",
    "people_reached",
    "budget_amount",
    "budget_currency",
    "sustainability",
    *(f"{name}_{lang}" for name in TEXT_FIELDS for lang in ("es", "en")),
)


class PracticeError(Exception):
    """A step that cannot be taken; ``str(error)`` is a message for the person."""


def allowed_steps(practice: Practice) -> list[str]:
    return [step for step, (sources, _target) in TRANSITIONS.items() if practice.status in sources]


def _audit(event: str, actor: Any, practice: Practice, /, **details: Any) -> None:
    record(
        f"practice.{event}",
        actor=actor,
        obj=practice,
        organization=practice.owner,
        details={"code": practice.code, **details},
    )


def _lock(practice: Practice) -> Practice:
    return Practice.objects.select_for_update().get(pk=practice.pk)


def _require_worker(actor: Any, practice: Practice | None = None) -> None:
    if not user_can(actor, Cap.SUBMIT_PRACTICES) and not user_can(actor, Cap.MANAGE_PRACTICE_HUB):
        raise PermissionDenied
    if practice is not None and not can_work_on(actor, practice):
        raise PermissionDenied


def _require_hub(actor: Any) -> None:
    if not user_can(actor, Cap.MANAGE_PRACTICE_HUB):
        raise PermissionDenied


def _move(practice: Practice, step: str) -> str:
    sources, target = TRANSITIONS[step]
    if practice.status not in sources:
        raise PracticeError(
            _("This practice is in the “%(status)s” state: it cannot be %(step)s now.")
            % {"status": practice.get_status_display(), "step": _step_label(step)}
        )
    previous = practice.status
    practice.status = target
    return previous


def _step_label(step: str) -> str:
    return {
        "submit": _("submitted"),
        "review": _("marked as reviewed"),
        "return": _("returned"),
        "publish": _("published"),
        "unpublish": _("unpublished"),
    }[step]


# --- Search text ----------------------------------------------------------------------


def search_text_for(practice: Practice) -> str:
    """Folded words of every text of the practice in both languages (and its vocabularies)."""
    parts: list[str] = [practice.code, practice.title_es, practice.title_en]
    parts += [practice.other_organizations, practice.territories]
    for name in TEXT_FIELDS:
        parts += [getattr(practice, f"{name}_es"), getattr(practice, f"{name}_en")]
    organizations = list(practice.organizations.all())
    if practice.owner is not None:
        organizations.append(practice.owner)
    for organization in organizations:
        parts += [organization.name, organization.acronym]
    for relation in ("themes", "iasc_layers", "sdgs", "gcm_objectives", "guiding_principles"):
        for term in getattr(practice, relation).all():
            parts += [term.title_es, term.title_en]
    for country in practice.countries.all():
        parts += [country_name(country.code, "es"), country_name(country.code, "en")]
    return fold(" ".join(part for part in parts if part))


def refresh_search_text(practice: Practice) -> None:
    practice.search_text = search_text_for(practice)
    Practice.objects.filter(pk=practice.pk).update(search_text=practice.search_text)


# --- Creating and editing -------------------------------------------------------------


def _apply(practice: Practice, values: dict[str, Any]) -> None:
    for name in PLAIN_FIELDS:
        if name in values:
            value = values[name]
            setattr(practice, name, value if value is not None or name in _NULLABLE else "")
    if practice.budget_currency:
        practice.budget_currency = practice.budget_currency.upper()


_NULLABLE = {"people_reached", "budget_amount"}


def _set_relations(practice: Practice, values: dict[str, Any]) -> None:
    for relation in RELATIONS:
        if relation in values:
            getattr(practice, relation).set(values[relation])
    if "countries" in values:
        codes = sorted({str(code).upper() for code in values["countries"]})
        practice.countries.exclude(code__in=codes).delete()
        existing = set(practice.countries.values_list("code", flat=True))
        PracticeCountry.objects.bulk_create(
            [
                PracticeCountry(practice=practice, code=code)
                for code in codes
                if code not in existing
            ]
        )


def _owner_for(actor: Any, values: dict[str, Any]) -> Any:
    if user_can(actor, Cap.MANAGE_PRACTICE_HUB):
        return values.get("owner")
    return actor.organization


@transaction.atomic
def create_practice(actor: Any, values: dict[str, Any]) -> Practice:
    """A new draft; an agency admin's practice belongs to their organization."""
    _require_worker(actor)
    practice = Practice(created_by=actor, owner=_owner_for(actor, values))
    _apply(practice, values)
    practice.full_clean()
    practice.save()
    _set_relations(practice, values)
    if practice.owner is not None and not values.get("organizations"):
        practice.organizations.add(practice.owner)
    refresh_search_text(practice)
    _audit("created", actor, practice)
    return practice


@transaction.atomic
def update_practice(actor: Any, practice: Practice, values: dict[str, Any]) -> Practice:
    """Change a draft (submitted, reviewed and published practices are not edited)."""
    _require_worker(actor, practice)
    practice = _lock(practice)
    if practice.status != S.DRAFT:
        raise PracticeError(
            _("Only drafts can be changed. Ask a coordinator to return the practice first.")
        )
    if user_can(actor, Cap.MANAGE_PRACTICE_HUB) and "owner" in values:
        practice.owner = values["owner"]
    _apply(practice, values)
    practice.full_clean()
    practice.save()
    _set_relations(practice, values)
    refresh_search_text(practice)
    _audit("updated", actor, practice)
    return practice


# --- The workflow ---------------------------------------------------------------------


def _missing_for_submission(practice: Practice) -> list[str]:
    missing = []
    if not (practice.title_es or practice.title_en):
        missing.append(_("title"))
    if not (practice.finding_es or practice.finding_en):
        missing.append(_("finding"))
    if not practice.countries.exists():
        missing.append(_("country"))
    return missing


@transaction.atomic
def submit_practice(actor: Any, practice: Practice) -> Practice:
    _require_worker(actor, practice)
    practice = _lock(practice)
    previous = _move(practice, "submit")
    missing = _missing_for_submission(practice)
    if missing:
        raise PracticeError(
            _("Complete these fields before submitting: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    practice.submitted_by = actor
    practice.submitted_at = timezone.now()
    practice.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    _audit("submitted", actor, practice, previous=previous)
    return practice


def _decide(
    actor: Any, practice: Practice, step: str, decision: str, comment: str, event: str
) -> Practice:
    _require_hub(actor)
    practice = _lock(practice)
    previous = _move(practice, step)
    if step == "publish":
        practice.published_at = timezone.now()
    if step == "unpublish":
        practice.published_at = None
    practice.save(update_fields=["status", "published_at", "updated_at"])
    PracticeReview.objects.create(
        practice=practice, reviewer=actor, decision=decision, comment=comment.strip()
    )
    _audit(event, actor, practice, previous=previous)
    return practice


@transaction.atomic
def review_practice(actor: Any, practice: Practice, comment: str = "") -> Practice:
    return _decide(actor, practice, "review", ReviewDecision.REVIEWED, comment, "reviewed")


@transaction.atomic
def return_practice(actor: Any, practice: Practice, comment: str) -> Practice:
    if not comment.strip():
        raise PracticeError(_("Say what needs to change when you return a practice."))
    return _decide(actor, practice, "return", ReviewDecision.RETURNED, comment, "returned")


@transaction.atomic
def publish_practice(actor: Any, practice: Practice, comment: str = "") -> Practice:
    return _decide(actor, practice, "publish", ReviewDecision.PUBLISHED, comment, "published")


@transaction.atomic
def unpublish_practice(actor: Any, practice: Practice, comment: str = "") -> Practice:
    return _decide(actor, practice, "unpublish", ReviewDecision.UNPUBLISHED, comment, "unpublished")


# --- Attachments ----------------------------------------------------------------------

_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}
_ZIP = b"PK\x03\x04"


def check_attachment(upload: UploadedFile[bytes]) -> str:
    """The content type of an acceptable upload; ``PracticeError`` otherwise."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in ATTACHMENT_TYPES:
        raise PracticeError(
            _("This type of file is not accepted. Accepted: %(types)s.")
            % {"types": ", ".join(sorted(ATTACHMENT_TYPES))}
        )
    size = upload.size or 0
    if size == 0:
        raise PracticeError(_("The file is empty."))
    if size > MAX_ATTACHMENT_BYTES:
        raise PracticeError(
            _("The file is too large (at most %(mb)s MB).") % {"mb": MAX_ATTACHMENT_BYTES // 2**20}
        )
    content_type = ATTACHMENT_TYPES[suffix][0]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if content_type in _SIGNATURES:
        ok = head.startswith(_SIGNATURES[content_type])
    elif content_type == "text/plain":
        ok = b"\x00" not in head
    else:  # Office and OpenDocument files are zip archives
        ok = head.startswith(_ZIP)
    if not ok:
        raise PracticeError(_("The file's content does not match its extension."))
    return content_type


@transaction.atomic
def add_attachment(
    actor: Any, practice: Practice, upload: UploadedFile[bytes]
) -> PracticeAttachment:
    _require_worker(actor, practice)
    practice = _lock(practice)
    if practice.status != S.DRAFT:
        raise PracticeError(_("Attachments can only be added to drafts."))
    content_type = check_attachment(upload)
    attachment = PracticeAttachment(
        practice=practice,
        name=Path(upload.name or "file").name[:200],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    attachment.file.save(upload.name or "file", upload, save=False)
    attachment.save()
    _audit("attachment_added", actor, practice, attachment=str(attachment.uuid))
    return attachment


@transaction.atomic
def remove_attachment(actor: Any, attachment: PracticeAttachment) -> None:
    practice = attachment.practice
    _require_worker(actor, practice)
    if practice.status != S.DRAFT:
        raise PracticeError(_("Attachments can only be removed from drafts."))
    uuid = str(attachment.uuid)
    attachment.file.delete(save=False)
    attachment.delete()
    _audit("attachment_removed", actor, practice, attachment=uuid)


# --- Themes (the editable taxonomy) ----------------------------------------------------


@transaction.atomic
def save_theme(actor: Any, theme: Theme | None, values: dict[str, Any]) -> Theme:
    """Add a theme or rename one (codes are kept: they are in links and the API)."""
    _require_hub(actor)
    created = theme is None
    if theme is None:
        theme = Theme(code=values["code"])
    theme.title_es = values["title_es"]
    theme.title_en = values["title_en"]
    theme.order = values.get("order") or 0
    theme.full_clean()
    theme.save()
    record(
        "practice.theme_created" if created else "practice.theme_changed",
        actor=actor,
        object_type="practices.theme",
        details={"code": theme.code},
    )
    for practice in Practice.objects.filter(themes=theme):
        refresh_search_text(practice)
    return theme
