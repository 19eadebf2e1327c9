"""URL arguments for the practices routes (see ruta/core/tests/test_route_permissions.py).

A published practice of CARE (public pages, attachment, unpublish), a draft of CARE
(edit, submit, attach) and a submitted one (review, return); every example is visible to
CARE's agency admin and to coordinators and admins.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from ruta.practices import actions
from ruta.practices.tests.factories import make_practice


def examples(world: Any) -> dict[str, dict[str, Any]]:
    cached = getattr(world, "_practice_examples", None)
    if cached is not None:
        return cached
    published = make_practice(world, "EX_PUB", "published")
    draft = make_practice(world, "EX_DRAFT")
    submitted = make_practice(world, "EX_SUB", "submitted")
    reviewed = make_practice(world, "EX_REV", "reviewed")
    author = world.user("agency_admin.care")
    attachment = actions.add_attachment(
        author, draft, SimpleUploadedFile("nota.txt", b"Nota de prueba", "text/plain")
    )
    # A published practice with an attachment (attached while it was a draft).
    shown = make_practice(world, "EX_ATT")
    shown_file = actions.add_attachment(
        author, shown, SimpleUploadedFile("guia.pdf", b"%PDF-1.4 test", "application/pdf")
    )
    actions.submit_practice(author, shown)
    coordinator = world.user("coordinator")
    actions.review_practice(coordinator, shown)
    actions.publish_practice(coordinator, shown)

    def of(practice: Any) -> dict[str, Any]:
        return {"practice_uuid": practice.uuid}

    found: dict[str, dict[str, Any]] = {
        "practices:detail": {"kwargs": of(published)},
        "practices:edit": {"kwargs": of(draft)},
        "practices:submit": {"kwargs": of(draft), "method": "post"},
        "practices:review": {"kwargs": of(submitted), "method": "post"},
        "practices:return": {
            "kwargs": of(submitted),
            "method": "post",
            "data": {"comment": "Falta el presupuesto."},
        },
        "practices:publish": {"kwargs": of(reviewed), "method": "post"},
        "practices:unpublish": {"kwargs": of(published), "method": "post"},
        "practices:attachment_add": {"kwargs": of(draft), "method": "post"},
        "practices:attachment": {
            "kwargs": {"practice_uuid": shown.uuid, "attachment_uuid": shown_file.uuid}
        },
        "practices:attachment_remove": {
            "kwargs": {"practice_uuid": draft.uuid, "attachment_uuid": attachment.uuid},
            "method": "post",
        },
        "practices_api:practice-detail": {"kwargs": {"uuid": published.uuid}},
        "practices:theme_edit": {"kwargs": {"code": "mhpss"}},
    }
    world._practice_examples = found
    return found
