"""Warm referral from a contact: the consent gate, the minimal case the operator never
sees, the referral machinery on the receiving side, and an audit trail of ids only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import verified_login
from ruta.audit.models import AuditEvent
from ruta.cases.models import (
    Assent,
    Case,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ConsentPurpose,
)
from ruta.helpline import actions
from ruta.helpline.models import Handoff, HandoffKind
from ruta.helpline.tests.factories import make_contact
from ruta.notifications.models import Notification, NotificationKind
from ruta.referrals import actions as referral_actions
from ruta.referrals.models import Referral, ReferralStatus

pytestmark = pytest.mark.django_db

NAME = "Yuleisy"
PHONE = "+51 955 000 111"


def _client(user: Any) -> Client:
    return verified_login(Client(), user)


def _post(world: Any, contact: Any, **overrides: Any) -> Any:
    data = {
        "kind": "referral",
        "organization": str(world.hias.pk),
        "consent": "on",
        "given_by": "self",
        "child_assent": "",
        "share": ["age_band", "sex", "name", "phone"],
        "name": NAME,
        "phone": PHONE,
        "case_type": "gbv",
        "urgency": "normal",
        "reason": "",
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    url = reverse("helpline:contact_handoff", kwargs={"contact_uuid": contact.uuid})
    return _client(world.user("helpline.care")).post(url, data)


def _contact(world: Any) -> Any:
    return make_contact(
        world.user("helpline.care"), sex="female", age_band="18-25", nationality="VE"
    )


def test_without_the_callers_consent_nothing_is_sent_or_opened(world: Any) -> None:
    contact = _contact(world)
    response = _post(world, contact, consent=None)
    assert response.status_code == 409
    assert "consentimiento" in response.content.decode()
    assert not Referral.objects.exists() and not Case.objects.exists()
    assert not Handoff.objects.exists()
    # Whatever the operator typed stays in the form.
    assert NAME in response.content.decode()


def test_the_consent_gate_is_in_the_action_too(world: Any) -> None:
    contact = _contact(world)
    with pytest.raises(actions.ConsentMissing):
        actions.hand_off(
            world.user("helpline.care"),
            contact,
            kind=HandoffKind.REFERRAL,
            case_type="gbv",
            fields=["sex"],
            organization=world.hias,
            consent=False,
        )
    assert not Case.objects.exists()


def test_a_warm_referral_goes_to_the_other_agencys_inbox_with_the_ticked_fields(
    world: Any,
) -> None:
    contact = _contact(world)
    response = _post(world, contact)
    assert response.status_code == 302
    handoff = Handoff.objects.get(contact=contact)
    referral = handoff.referral
    assert referral is not None and referral.status == ReferralStatus.SENT
    assert referral.to_organization == world.hias and referral.respond_by > referral.sent_at
    snapshot = referral.snapshot_data()
    assert snapshot == {"age_band": "18-25", "sex": "female", "name": NAME, "phone": PHONE}
    assert "nationality" not in snapshot  # not ticked, not sent
    # The caller's consent, recorded on the case: verbal, to share with the named agency.
    consent = Consent.objects.get(case=handoff.case)
    assert consent.purpose == ConsentPurpose.SHARE and consent.recipient == world.hias
    assert consent.method == ConsentMethod.VERBAL
    # The case is the supervisor's, in the operator's own agency.
    case = handoff.case
    assert case is not None and case.organization == world.care
    assert case.caseworker == world.user("supervisor.care")
    # The receiving agency sees it in its inbox, and may accept it.
    hias = _client(world.user("supervisor.hias"))
    assert referral.reference in hias.get(reverse("referrals:inbox")).content.decode()
    referral_actions.accept_referral(world.user("supervisor.hias"), referral, case_type="gbv")
    referral.refresh_from_db()
    assert referral.receiver_case is not None
    assert referral.receiver_case.client.alias == NAME
    # The desk shows the referral's status, without any case link.
    page = (
        _client(world.user("helpline.care"))
        .get(reverse("helpline:contact_detail", kwargs={"contact_uuid": contact.uuid}))
        .content.decode()
    )
    assert referral.reference in page and "Aceptada" in page
    assert str(case.uuid) not in page


def test_the_operator_never_reaches_the_case_nor_the_referral(world: Any) -> None:
    contact = _contact(world)
    _post(world, contact)
    handoff = Handoff.objects.get(contact=contact)
    assert handoff.case is not None and handoff.referral is not None
    operator = _client(world.user("helpline.care"))
    case_url = reverse("cases:case_detail", kwargs={"case_uuid": handoff.case.uuid})
    referral_url = reverse("referrals:detail", kwargs={"referral_uuid": handoff.referral.uuid})
    assert operator.get(case_url).status_code == 404
    assert operator.get(referral_url).status_code == 404
    assert operator.get(reverse("referrals:inbox")).status_code == 404
    # The supervisor who owns the case does reach it.
    assert _client(world.user("supervisor.care")).get(case_url).status_code == 200


def test_the_trail_holds_ids_and_field_names_only(world: Any) -> None:
    contact = _contact(world)
    _post(world, contact, reason="Su pareja la amenaza")
    event = AuditEvent.objects.get(action="helpline.handoff.made")
    text = json.dumps(event.details)
    for value in (NAME, PHONE, "amenaza", "18-25", "female", "gbv"):
        assert value not in text
    assert event.details["contact"] == str(contact.uuid)
    assert sorted(event.details["fields"]) == ["age_band", "name", "phone", "sex"]


def test_a_ticked_name_needs_the_name_given_for_this_purpose(world: Any) -> None:
    contact = _contact(world)
    response = _post(world, contact, name="")
    assert response.status_code == 409
    assert not Referral.objects.exists()


def test_a_field_outside_the_list_is_refused(world: Any) -> None:
    contact = _contact(world)
    with pytest.raises(actions.HelplineError):
        actions.hand_off(
            world.user("helpline.care"),
            contact,
            kind=HandoffKind.REFERRAL,
            case_type="gbv",
            fields=["needs"],
            organization=world.hias,
            consent=True,
        )
    assert not Case.objects.exists()


def test_a_case_here_goes_to_the_supervisor_for_assignment(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    contact = _contact(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(world, contact, kind="case", organization="", consent=None)
    assert response.status_code == 302
    handoff = Handoff.objects.get(contact=contact)
    assert handoff.referral is None and handoff.case is not None
    supervisor = world.user("supervisor.care")
    assert handoff.case.caseworker == supervisor
    assert Notification.objects.filter(
        recipient=supervisor, kind=NotificationKind.ASSIGNED, case=handoff.case
    ).exists()
    case_url = reverse("cases:case_detail", kwargs={"case_uuid": handoff.case.uuid})
    assert _client(world.user("helpline.care")).get(case_url).status_code == 404


def test_another_operator_cannot_refer_someone_elses_caller(world: Any) -> None:
    from conftest import make_user
    from ruta.lib.permissions import Role

    contact = _contact(world)
    other = make_user("otra.linea@test.org", Role.HELPLINE, world.care)
    with pytest.raises(actions.Forbidden):
        actions.hand_off(
            other,
            contact,
            kind=HandoffKind.CASE,
            case_type="gbv",
            fields=["sex"],
        )


# --- A child on the line: who consents, and the child's assent -----------------------------
def _child(world: Any, band: str) -> Any:
    return make_contact(world.user("helpline.care"), sex="female", age_band=band)


def _refer(world: Any, contact: Any, **consent: Any) -> Handoff:
    return actions.hand_off(
        world.user("helpline.care"),
        contact,
        kind=HandoffKind.REFERRAL,
        case_type="mhpss",
        fields=["age_band"],
        organization=world.hias,
        consent=True,
        **consent,
    )


@pytest.mark.parametrize(
    ("band", "consent", "refusal"),
    [
        ("0-5", {"given_by": "self"}, "menor de 6"),
        ("6-11", {"given_by": "self", "child_assent": "given"}, "menor de 15"),
        ("6-11", {"given_by": "caregiver"}, "asentimiento"),
        ("12-14", {"given_by": "caregiver", "child_assent": "refused"}, "no está de acuerdo"),
        ("12-14", {"given_by": "somebody"}, "quién dio el consentimiento"),
    ],
)
def test_a_childs_referral_is_refused_without_the_consent_the_band_needs(
    world: Any, band: str, consent: dict[str, str], refusal: str
) -> None:
    contact = _child(world, band)
    with pytest.raises(actions.ConsentMissing) as refused:
        _refer(world, contact, **consent)
    assert refusal in str(refused.value)
    assert not Case.objects.exists() and not Referral.objects.exists()
    assert not Handoff.objects.exists()


@pytest.mark.parametrize(
    ("band", "given_by", "assent", "recorded"),
    [
        ("0-5", "caregiver", "", Assent.NOT_ASKED),
        ("6-11", "caregiver", "given", Assent.GIVEN),
        ("12-14", "caregiver", "given", Assent.GIVEN),
        ("15-17", "self", "", ""),  # from 15 the young person may consent
        ("15-17", "caregiver", "", ""),
        ("26-59", "self", "given", ""),  # an adult: no child's assent to record
    ],
)
def test_the_consent_records_who_gave_it_and_the_childs_assent(
    world: Any, band: str, given_by: str, assent: str, recorded: str
) -> None:
    handoff = _refer(world, _child(world, band), given_by=given_by, child_assent=assent)
    consent = Consent.objects.get(case=handoff.case, purpose=ConsentPurpose.SHARE)
    assert (consent.given_by, consent.child_assent) == (given_by, recorded)
    assert consent.recipient == world.hias
    # Who consented is on the consent: the trail, which the platform admin reads, does not
    # say that a caller is a child.
    event = AuditEvent.objects.get(action="helpline.handoff.made")
    assert not {"given_by", "child_assent", "band"} & set(event.details)


def test_the_form_asks_who_consented_for_a_child_and_keeps_what_was_typed(world: Any) -> None:
    contact = _child(world, "6-11")
    url = reverse("helpline:contact_handoff", kwargs={"contact_uuid": contact.uuid})
    page = _client(world.user("helpline.care")).get(url).content.decode()
    assert "La persona que llama es una niña, niño o adolescente" in page
    assert 'name="given_by"' in page and 'name="child_assent"' in page
    refused = _post(world, contact, given_by="caregiver", child_assent="refused", reason="Pánico")
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "no está de acuerdo" in text and "Pánico" in text
    assert not Referral.objects.exists()
    sent = _post(world, contact, given_by="caregiver", child_assent="given")
    assert sent.status_code == 302
    consent = Consent.objects.get(purpose=ConsentPurpose.SHARE)
    assert consent.given_by == ConsentGiver.CAREGIVER and consent.child_assent == Assent.GIVEN


def test_an_adults_form_has_no_child_notice(world: Any) -> None:
    contact = _contact(world)
    url = reverse("helpline:contact_handoff", kwargs={"contact_uuid": contact.uuid})
    page = _client(world.user("helpline.care")).get(url).content.decode()
    assert "La persona que llama es una niña, niño o adolescente" not in page
