"""Packages between installations: round trip and every refusal, in one database.

Installation A (Perú) and installation B (Ecuador) each have keys passed explicitly;
each trusts the other through a ``PeerInstallation`` row.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from ruta.audit.models import AuditEvent
from ruta.cases.models import Case, CaseStatus, ConsentPurpose
from ruta.cases.tests.factories import (
    GIVEN_NAMES,
    give_consent,
    make_assessment,
    make_case,
    make_follow_up,
    make_incident,
    make_measure,
    make_plan,
    make_safety_plan,
)
from ruta.transfers import exchange, packages
from ruta.transfers.actions import IllegalTransition, TransferError
from ruta.transfers.models import InstallationKey, PeerInstallation, ReceivedPackage
from ruta.transfers.packages import LocalKeys

# The assertions read the English messages (the msgids), whatever the catalogs hold.
pytestmark = [pytest.mark.usefixtures("english"), pytest.mark.dates]


@pytest.fixture
def two(world: Any) -> Any:
    class Two:
        a = LocalKeys.generate("Ruta Perú", "PE")
        b = LocalKeys.generate("Ruta Ecuador", "EC")
        peer_b = exchange.add_peer(b.public.as_public_json())  # A trusts B
        peer_a = exchange.add_peer(a.public.as_public_json())  # B trusts A

    return Two


def _full_case(world: Any) -> Case:
    worker = world.user("caseworker.care")
    case = make_case(worker)
    make_incident(worker, case)
    make_assessment(worker, case)
    make_plan(worker, case, due_on=timezone.localdate() + dt.timedelta(days=5))
    make_safety_plan(worker, case)
    make_follow_up(
        worker,
        case,
        note="Nota que viaja",
        next_contact_on=timezone.localdate() + dt.timedelta(days=2),
    )
    make_measure(worker, case)
    return case


def _export(world: Any, two: Any, case: Case | None = None, **kw: Any) -> bytes:
    case = case or _full_case(world)
    if "partner_organization" not in kw:
        shared = case.consents.filter(purpose=ConsentPurpose.SHARE, recipient=world.hias)
        if not shared.filter(withdrawn_at=None).exists():
            give_consent(
                world.user("caseworker.care"), case, ConsentPurpose.SHARE, recipient=world.hias
            )
        kw["partner_organization"] = world.hias
    data, _header = exchange.export_case(
        world.user("supervisor.care"), case, two.peer_b, keys=two.a, **kw
    )
    return data


def _import(world: Any, two: Any, data: bytes, **kw: Any) -> Case:
    kw.setdefault("keys", [two.b])
    return exchange.import_package(
        world.user("supervisor.hias"), data, world.user("caseworker.hias"), **kw
    )


def test_round_trip_carries_the_case_and_its_history(world: Any, two: Any) -> None:
    original = _full_case(world)
    give_consent(
        world.user("caseworker.care"), original, ConsentPurpose.SHARE, recipient=world.hias
    )
    data = _export(world, two, original)
    assert GIVEN_NAMES.encode() not in data  # encrypted
    envelope = json.loads(data)
    assert envelope["recipient"] == two.b.fingerprint
    assert envelope["sender"] == two.a.fingerprint
    case = _import(world, two, data)
    assert case.pk != original.pk and case.code.startswith("HIAS-")
    assert case.organization == world.hias and case.caseworker == world.user("caseworker.hias")
    assert case.client.given_names == GIVEN_NAMES
    assert case.client.document_number == original.client.document_number
    assert case.incidents.count() == 1 and case.assessments.count() == 1
    assert case.follow_ups.get().note == "Nota que viaja"
    # The receiving caseworker's today page and the team view read these copies.
    assert (case.next_contact_on, case.next_action_due_on) == (
        original.next_contact_on,
        original.next_action_due_on,
    )
    assert case.next_contact_on is not None and case.next_action_due_on is not None
    assert case.measures.count() == 1
    assert case.action_plan.goals.count() == 1 and case.plan_actions.count() == 1
    assert case.safety_plan.risks == "Riesgo ficticio"
    assert case.consents.filter(purpose=ConsentPurpose.SERVICES).count() == 1
    # A consent to share given abroad travels as history only: sharing here needs a new one.
    shares = case.consents.filter(purpose=ConsentPurpose.SHARE)
    assert shares.count() == 1 and shares.get().withdrawn_at is not None
    received = ReceivedPackage.objects.get()
    assert received.case == case and received.original_code == original.code
    assert AuditEvent.objects.filter(action="transfer.package_exported").count() == 1
    assert AuditEvent.objects.filter(action="transfer.package_imported").count() == 1


def _refused(world: Any, two: Any, data: bytes, error: type[Exception], **kw: Any) -> None:
    cases = Case.objects.count()
    with pytest.raises(error):
        _import(world, two, data, **kw)
    assert Case.objects.count() == cases
    assert AuditEvent.objects.filter(action="transfer.package_refused").exists()


def _flip(data: bytes, field: str, index: int = 5) -> bytes:
    envelope = json.loads(data)
    raw = bytearray(base64.b64decode(envelope[field]))
    raw[index] ^= 0x01
    envelope[field] = base64.b64encode(bytes(raw)).decode()
    return json.dumps(envelope).encode()


@pytest.mark.parametrize("field", ["ciphertext", "nonce", "ephemeral_key"])
def test_a_flipped_byte_is_refused(world: Any, two: Any, field: str) -> None:
    data = _export(world, two)
    _refused(world, two, _flip(data, field), packages.TamperedPackage)


def test_a_changed_header_is_refused(world: Any, two: Any) -> None:
    envelope = json.loads(_export(world, two))
    envelope["expires_at"] = "2099-01-01T00:00:00+00:00"
    _refused(world, two, json.dumps(envelope).encode(), packages.TamperedPackage)


def test_a_flipped_raw_byte_anywhere_is_refused(world: Any, two: Any) -> None:
    data = bytearray(_export(world, two))
    data[len(data) // 2] ^= 0x01
    _refused(world, two, bytes(data), packages.PackageError)


def test_a_forged_signature_is_refused(world: Any, two: Any) -> None:
    a_fingerprint = two.a.fingerprint

    class Impostor(LocalKeys):
        @property
        def fingerprint(self) -> str:
            return a_fingerprint

    impostor = Impostor("Falsa", "PE", LocalKeys.generate("x", "PE").signing, two.a.encryption)
    data, _header = packages.seal({"case": {}}, sender=impostor, recipient=two.b.public)
    _refused(world, two, data, packages.TamperedPackage)


def test_replay_is_refused(world: Any, two: Any) -> None:
    data = _export(world, two)
    _import(world, two, data)
    _refused(world, two, data, packages.ReplayedPackage)


def test_the_same_case_under_a_new_package_id_is_refused(world: Any, two: Any) -> None:
    case = _full_case(world)
    first = _export(world, two, case)
    again = _export(world, two, case)  # a new package id, the same content
    assert json.loads(first)["package_id"] != json.loads(again)["package_id"]
    imported = _import(world, two, first)
    with pytest.raises(packages.ReplayedPackage, match="same content"):
        _import(world, two, again)
    # Changed since (a new follow-up), while the imported copy is still open here: refused.
    make_follow_up(world.user("caseworker.care"), case, note="Nota posterior")
    changed = _export(world, two, case)
    with pytest.raises(packages.ReplayedPackage, match=imported.code):
        _import(world, two, changed)
    assert Case.objects.filter(organization=world.hias).count() == 1
    # Once the copy here is closed, a later package of the case can open it again.
    Case.objects.filter(pk=imported.pk).update(status=CaseStatus.CLOSED)
    assert _import(world, two, changed).pk != imported.pk


def test_another_agency_is_not_told_about_a_copy_it_cannot_see(world: Any, two: Any) -> None:
    case = _full_case(world)
    first, again = _export(world, two, case), _export(world, two, case)
    imported = _import(world, two, first)  # by HIAS
    other = world.outsider_org
    boss = make_user("supervisor.otra@test.org", "supervisor", other)
    worker = make_user("caseworker.otra@test.org", "caseworker", other)
    try:
        exchange.import_package(boss, again, worker, keys=[two.b])
    except packages.ReplayedPackage as error:  # pragma: no cover - the failure message
        raise AssertionError(f"told another agency: {error}") from error
    assert imported.code not in str(AuditEvent.objects.filter(actor=boss).values("details"))


def test_expired_is_refused(world: Any, two: Any) -> None:
    data = _export(world, two, days=2)
    later = timezone.now() + dt.timedelta(days=3)
    _refused(world, two, data, packages.ExpiredPackage, now=later)


def test_wrong_recipient_is_refused(world: Any, two: Any) -> None:
    data = _export(world, two)
    _refused(world, two, data, packages.MisaddressedPackage, keys=[two.a])


def test_unknown_or_inactive_sender_is_refused(world: Any, two: Any) -> None:
    data = _export(world, two)
    PeerInstallation.objects.filter(pk=two.peer_a.pk).update(active=False)
    _refused(world, two, data, packages.UnknownSender)


def test_garbage_is_refused(world: Any, two: Any) -> None:
    _refused(world, two, b"not a package", packages.MalformedPackage)


def test_export_consent_rules(world: Any, two: Any) -> None:
    case = make_case(world.user("caseworker.care"))
    boss = world.user("supervisor.care")
    with pytest.raises(IllegalTransition):
        exchange.export_case(boss, case, two.peer_b, keys=two.a)
    with pytest.raises(IllegalTransition, match="consent"):
        exchange.export_case(boss, case, two.peer_b, partner_organization=world.hias, keys=two.a)
    give_consent(boss, case, ConsentPurpose.SHARE, recipient=world.hias)
    exchange.export_case(boss, case, two.peer_b, partner_organization=world.hias, keys=two.a)
    with pytest.raises(TransferError):
        exchange.export_case(
            world.user("caseworker.care"),
            case,
            two.peer_b,
            partner_organization=world.hias,
            keys=two.a,
        )
    # A consent naming another agency does not cover this one.
    with pytest.raises(IllegalTransition, match="consent"):
        exchange.export_case(boss, case, two.peer_b, partner_organization=world.care, keys=two.a)


# --- Through the pages and the commands ------------------------------------------------------
def test_export_and_import_pages(world: Any, two: Any, login: Any, client: Any) -> None:
    ours = exchange.create_installation_key("Ruta Perú", "PE")
    me = exchange.current_keys()
    assert me.fingerprint == ours.fingerprint
    login(world.user("supervisor.care"))
    case = _full_case(world)
    url = reverse("transfers:package_export", args=[case.uuid])
    assert client.get(url).status_code == 200
    refused = client.post(url, {"peer": str(two.peer_b.uuid), "expires_in_days": 14})
    assert refused.status_code == 200 and "Content-Disposition" not in refused
    asked = {
        "peer": str(two.peer_b.uuid),
        "expires_in_days": 14,
        "partner_organization": str(world.hias.uuid),
    }
    no_consent = client.post(url, asked)
    assert no_consent.status_code == 409 and "Content-Disposition" not in no_consent
    give_consent(world.user("caseworker.care"), case, ConsentPurpose.SHARE, recipient=world.hias)
    response = client.post(url, asked)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.rutapkg"')
    assert json.loads(response.content)["sender"] == ours.fingerprint
    # A package from A to this installation, imported through the page by HIAS.
    payload = exchange.build_payload(case, world.care)
    sealed, _header = packages.seal(payload, sender=two.a, recipient=me.public)
    login(world.user("supervisor.hias"))
    import_url = reverse("transfers:package_import")
    worker = str(world.user("caseworker.hias").uuid)
    ok = client.post(
        import_url,
        {"package": SimpleUploadedFile("a.rutapkg", sealed), "caseworker": worker},
    )
    assert ok.status_code == 302
    again = client.post(
        import_url,
        {"package": SimpleUploadedFile("a.rutapkg", sealed), "caseworker": worker},
    )
    assert again.status_code == 400
    assert "importó" in again.content.decode() or "imported" in again.content.decode()


def test_key_commands(world: Any, tmp_path: Path) -> None:
    out = StringIO()
    call_command("create_installation_key", name="Ruta Perú", country="pe", stdout=out)
    with pytest.raises(CommandError):
        call_command("create_installation_key", name="Ruta Perú", country="PE")
    first = InstallationKey.objects.get()
    call_command("create_installation_key", name="Ruta Perú", country="PE", rotate=True)
    assert InstallationKey.objects.count() == 2
    assert InstallationKey.objects.get(active=True).pk != first.pk
    assert len(exchange.all_keys()) == 2
    out = StringIO()
    call_command("export_installation_key", stdout=out)
    public = json.loads(out.getvalue())
    assert set(public) == {
        "name",
        "country",
        "ed25519_public_key",
        "x25519_public_key",
        "fingerprint",
    }
    assert public["fingerprint"] == InstallationKey.objects.get(active=True).fingerprint
    other = LocalKeys.generate("Ruta Colombia", "CO").public.as_public_json()
    path = tmp_path / "peer.json"
    path.write_text(json.dumps(other))
    call_command("add_peer_installation", str(path), stdout=StringIO())
    assert PeerInstallation.objects.get(fingerprint=other["fingerprint"]).country == "CO"
    other["fingerprint"] = "0" * 64
    path.write_text(json.dumps(other))
    with pytest.raises(CommandError):
        call_command("add_peer_installation", str(path))


def test_private_keys_are_encrypted_at_rest(world: Any) -> None:
    from django.db import connection

    row = exchange.create_installation_key("Ruta Perú", "PE")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT signing_private_key FROM transfers_installationkey WHERE id = %s", [row.pk]
        )
        stored = cursor.fetchone()[0]
    assert stored.startswith("f1:")
    assert exchange.current_keys().signing.private_bytes_raw() != stored


def test_authentic_but_unreadable_content_creates_nothing(world: Any, two: Any) -> None:
    payload = {"case": {"case_type": "gbv"}, "client": {"age": "abc"}, "incidents": "x"}
    data, _header = packages.seal(payload, sender=two.a, recipient=two.b.public)
    _refused(world, two, data, packages.MalformedPackage)
    assert not ReceivedPackage.objects.exists()
