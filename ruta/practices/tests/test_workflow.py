"""The practice workflow through HTTP and actions: legal steps, illegal ones (409), who may."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ruta.audit.models import AuditEvent
from ruta.practices import actions
from ruta.practices.models import Practice, PracticeReview, PracticeStatus, ReviewDecision
from ruta.practices.tests.factories import make_practice, practice_values

pytestmark = pytest.mark.django_db

STEP_ROUTES = ["submit", "review", "return", "publish", "unpublish"]
# step -> the states it may start from, the state it leads to
LEGAL = {
    "submit": ({"draft"}, "submitted"),
    "review": ({"submitted"}, "reviewed"),
    "return": ({"submitted", "reviewed"}, "draft"),
    "publish": ({"reviewed"}, "published"),
    "unpublish": ({"published"}, "draft"),
}


def _url(step: str, practice: Practice) -> str:
    return reverse(f"practices:{step}", kwargs={"practice_uuid": practice.uuid})


@pytest.mark.parametrize("start", ["draft", "submitted", "reviewed", "published"])
@pytest.mark.parametrize("step", STEP_ROUTES)
def test_every_step_from_every_state(
    client: Any, world: Any, login: Any, start: str, step: str
) -> None:
    practice = make_practice(world, "BP_FLOW", start)
    actor = world.user("agency_admin.care" if step == "submit" else "coordinator")
    login(actor)
    response = client.post(_url(step, practice), {"comment": "Comentario de revisión."})
    practice.refresh_from_db()
    sources, target = LEGAL[step]
    if start in sources:
        assert response.status_code == 302
        assert practice.status == target
        assert AuditEvent.objects.filter(
            action__startswith="practice.", object_uuid=practice.uuid
        ).exists()
    else:
        assert response.status_code == 409
        assert practice.status == start
        assert "no puede" in response.content.decode() or "cannot" in response.content.decode()


def test_full_cycle_records_reviews_and_audit(world: Any) -> None:
    author, coordinator = world.user("agency_admin.care"), world.user("coordinator")
    practice = make_practice(world, "BP_CYCLE", "submitted")
    actions.return_practice(coordinator, practice, "Falta el presupuesto.")
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.DRAFT
    actions.update_practice(author, practice, {"budget_amount": 1000, "budget_currency": "usd"})
    actions.submit_practice(author, practice)
    actions.review_practice(coordinator, practice, "")
    published = actions.publish_practice(coordinator, practice)
    assert published.published_at is not None
    assert published.budget_currency == "USD"
    decisions = list(
        PracticeReview.objects.filter(practice=practice).values_list("decision", flat=True)
    )
    assert sorted(decisions) == sorted(
        [ReviewDecision.RETURNED, ReviewDecision.REVIEWED, ReviewDecision.PUBLISHED]
    )
    events = set(
        AuditEvent.objects.filter(object_uuid=practice.uuid).values_list("action", flat=True)
    )
    assert {
        "practice.created",
        "practice.submitted",
        "practice.returned",
        "practice.updated",
        "practice.reviewed",
        "practice.published",
    } <= events
    actions.unpublish_practice(coordinator, published)
    published.refresh_from_db()
    assert published.status == PracticeStatus.DRAFT and published.published_at is None


def test_return_needs_a_comment(world: Any) -> None:
    practice = make_practice(world, "BP_RET", "submitted")
    with pytest.raises(actions.PracticeError):
        actions.return_practice(world.user("coordinator"), practice, "  ")


def test_submit_needs_title_finding_and_country(client: Any, world: Any, login: Any) -> None:
    practice = make_practice(world, "BP_EMPTY", finding_es="", finding_en="", countries=[])
    login(world.user("agency_admin.care"))
    response = client.post(_url("submit", practice))
    assert response.status_code == 409
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.DRAFT


def test_agency_admin_cannot_review_or_publish(client: Any, world: Any, login: Any) -> None:
    practice = make_practice(world, "BP_AGA", "reviewed")
    login(world.user("agency_admin.care"))
    assert client.post(_url("publish", practice)).status_code == 403
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.REVIEWED


def test_only_drafts_are_edited(client: Any, world: Any, login: Any) -> None:
    practice = make_practice(world, "BP_EDIT", "submitted")
    login(world.user("agency_admin.care"))
    url = reverse("practices:edit", kwargs={"practice_uuid": practice.uuid})
    data = {"code": "BP_EDIT", "title_es": "Nuevo título", "countries": ["PE"]}
    response = client.post(url, data)
    assert response.status_code == 409
    practice.refresh_from_db()
    assert practice.title_es != "Nuevo título"


def test_agency_admin_creates_a_draft_of_their_organization(
    client: Any, world: Any, login: Any
) -> None:
    login(world.user("agency_admin.care"))
    data = {
        "code": "bp_new",
        "title_es": "Círculos de apoyo entre pares",
        "finding_es": "Las personas usuarias valoran el acompañamiento.",
        "countries": ["PE", "EC"],
        "owner": world.hias.pk,  # ignored: agency admins write for their own organization
        "budget_amount": "2500.50",
        "budget_currency": "pen",
    }
    response = client.post(reverse("practices:create"), data)
    assert response.status_code == 302
    practice = Practice.objects.get(code="BP_NEW")
    assert practice.owner == world.care
    assert practice.status == PracticeStatus.DRAFT
    assert sorted(practice.countries.values_list("code", flat=True)) == ["EC", "PE"]
    assert "circulos de apoyo" in practice.search_text
    assert list(practice.organizations.all()) == [world.care]


def test_bad_input_keeps_what_was_typed(client: Any, world: Any, login: Any) -> None:
    login(world.user("agency_admin.care"))
    data = {
        "code": "BP_BAD",
        "title_es": "",
        "finding_es": "Hallazgo escrito",
        "budget_currency": "XYZ",
    }
    response = client.post(reverse("practices:create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Hallazgo escrito" in body
    assert "XYZ" in body
    assert not Practice.objects.filter(code="BP_BAD").exists()


def test_coordinator_may_leave_the_owner_empty(world: Any) -> None:
    practice = actions.create_practice(world.user("coordinator"), practice_values("BP_GOV"))
    assert practice.owner is None


def test_other_agency_cannot_reach_a_draft(client: Any, world: Any, login: Any) -> None:
    practice = make_practice(world, "BP_HIDDEN")
    login(world.user("agency_admin.hias"))
    assert client.get(practice.get_absolute_url()).status_code == 404
    assert client.post(_url("submit", practice)).status_code == 404
    edit = reverse("practices:edit", kwargs={"practice_uuid": practice.uuid})
    assert client.get(edit).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "ok"),
    [
        ("informe.pdf", b"%PDF-1.7 contenido", True),
        ("foto.png", b"\x89PNG\r\n\x1a\n....", True),
        ("falso.pdf", b"MZ\x90\x00 ejecutable", False),
        ("script.exe", b"MZ\x90\x00", False),
        ("vacio.txt", b"", False),
    ],
)
def test_attachments_are_type_checked(
    client: Any, world: Any, login: Any, name: str, content: bytes, ok: bool
) -> None:
    practice = make_practice(world, "BP_FILE")
    login(world.user("agency_admin.care"))
    url = reverse("practices:attachment_add", kwargs={"practice_uuid": practice.uuid})
    response = client.post(url, {"file": SimpleUploadedFile(name, content)})
    assert (response.status_code == 302) is ok
    assert practice.attachments.count() == (1 if ok else 0)


def test_attachment_size_limit(world: Any, settings: Any) -> None:
    from ruta.practices import models

    practice = make_practice(world, "BP_BIG")
    big = SimpleUploadedFile("grande.txt", b"a" * (models.MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(actions.PracticeError):
        actions.add_attachment(world.user("agency_admin.care"), practice, big)


def test_published_attachment_downloads_for_the_public(client: Any, world: Any) -> None:
    author = world.user("agency_admin.care")
    practice = make_practice(world, "BP_DL")
    attachment = actions.add_attachment(
        author, practice, SimpleUploadedFile("guia.pdf", b"%PDF-1.4 guia", "application/pdf")
    )
    assert client.get(attachment.get_absolute_url()).status_code == 404  # still a draft
    coordinator = world.user("coordinator")
    actions.submit_practice(author, practice)
    actions.review_practice(coordinator, practice)
    actions.publish_practice(coordinator, practice)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_coordinator_edits_the_theme_taxonomy(client: Any, world: Any, login: Any) -> None:
    from ruta.practices.models import Theme

    practice = make_practice(world, "BP_THEME")  # classified under "mhpss"
    login(world.user("coordinator"))
    response = client.post(
        reverse("practices:themes"),
        {
            "code": "livelihoods",
            "title_es": "Medios de vida",
            "title_en": "Livelihoods",
            "order": 20,
        },
    )
    assert response.status_code == 302
    assert Theme.objects.get(code="livelihoods").title_en == "Livelihoods"
    edit = reverse("practices:theme_edit", kwargs={"code": "mhpss"})
    data = {
        "code": "changed",
        "title_es": "Bienestar psicosocial",
        "title_en": "Psychosocial wellbeing",
        "order": 1,
    }
    assert client.post(edit, data).status_code == 302
    assert Theme.objects.get(code="mhpss").title_es == "Bienestar psicosocial"  # code kept
    practice.refresh_from_db()
    assert "bienestar psicosocial" in practice.search_text
    assert AuditEvent.objects.filter(action="practice.theme_changed").exists()
    bad = client.post(
        reverse("practices:themes"), {"code": "mhpss", "title_es": "", "title_en": "x"}
    )
    assert bad.status_code == 400


def test_agency_admin_cannot_edit_themes(client: Any, world: Any, login: Any) -> None:
    login(world.user("agency_admin.care"))
    assert client.get(reverse("practices:themes")).status_code == 403


def test_work_list_is_scoped(client: Any, world: Any, login: Any) -> None:
    make_practice(world, "BP_CARE_DRAFT")
    hias = actions.create_practice(
        world.user("agency_admin.hias"), practice_values("BP_HIAS_DRAFT")
    )
    assert hias.owner == world.hias
    url = reverse("practices:manage")
    login(world.user("agency_admin.care"))
    body = client.get(url).content.decode()
    assert "BP_CARE_DRAFT" in body and "BP_HIAS_DRAFT" not in body
    login(world.user("coordinator"))
    response = client.get(url, {"status": "draft"})
    body = response.content.decode()
    assert "BP_CARE_DRAFT" in body and "BP_HIAS_DRAFT" in body
    assert reverse("practices:themes") in body
