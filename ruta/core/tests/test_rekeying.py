"""Pseudonymous codes whose value Ruta never stores (a cash-transfer beneficiary's id, a
participant's card number, a caller's phone number) survive a field-key rotation: found
under the old key while it is still listed, and re-keyed to the new one as they are seen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from ruta.activities import actions as activities
from ruta.activities.models import Participant
from ruta.activities.tests.factories import make_activity, make_session
from ruta.helpline import actions as helpline
from ruta.helpline.models import Contact
from ruta.lib.crypto import find_keyed, keyed_hash, keyed_hashes
from ruta.stabilisation import actions as stabilisation
from ruta.stabilisation.models import Beneficiary
from ruta.stabilisation.tests.factories import make_programme

pytestmark = pytest.mark.django_db

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


def test_keyed_hashes_lists_the_current_key_first() -> None:
    with override_settings(RUTA_FIELD_KEYS=[OLD]):
        under_old = keyed_hash("x")
    with override_settings(RUTA_FIELD_KEYS=[NEW, OLD]):
        assert keyed_hashes("x") == [keyed_hash("x"), under_old]
        assert keyed_hash("x") != under_old
    with override_settings(RUTA_FIELD_KEYS=[NEW]):
        assert keyed_hashes("x") == [keyed_hash("x")]


def test_a_beneficiary_enrolled_before_a_rotation_is_the_same_person_after(world: Any) -> None:
    programme = make_programme(world.care)
    with override_settings(RUTA_FIELD_KEYS=[OLD]):
        first, created = stabilisation.enrol(programme, "HH-001", sex="female")
        old_code = first.code
    assert created
    with override_settings(RUTA_FIELD_KEYS=[NEW, OLD]):
        again, created = stabilisation.enrol(programme, " hh-001", age_band="26-59")
        assert not created and again.pk == first.pk
        # Seen again: moved to the new key, so the old key can go once all are seen.
        again.refresh_from_db()
        assert again.code == stabilisation.beneficiary_code(programme, "HH-001") != old_code
        assert (again.sex, again.age_band) == ("female", "26-59")
    with override_settings(RUTA_FIELD_KEYS=[NEW]):
        assert stabilisation.find_beneficiary(programme, "HH-001") == first
        assert stabilisation.find_beneficiary(programme, "HH-002") is None
    assert Beneficiary.objects.count() == 1


def test_without_the_old_key_an_unseen_code_is_a_new_person(world: Any) -> None:
    """What the documentation warns about: drop the old key too early and people unseen
    since the rotation are counted again."""
    programme = make_programme(world.care)
    with override_settings(RUTA_FIELD_KEYS=[OLD]):
        stabilisation.enrol(programme, "HH-001")
    with override_settings(RUTA_FIELD_KEYS=[NEW]):
        _again, created = stabilisation.enrol(programme, "HH-001")
    assert created and Beneficiary.objects.count() == 2


def test_a_participant_keeps_one_identity_across_a_rotation(world: Any) -> None:
    user = world.user("caseworker.care")
    activity = make_activity(user)
    before = make_session(user, activity, dt.date(2026, 3, 5))
    after = make_session(user, activity, dt.date(2026, 4, 2))
    fields = {"sex_age": "woman", "population_type": "in_transit"}
    with override_settings(RUTA_FIELD_KEYS=[OLD]):
        person, new = activities.record_attendance(user, before, "card-0042", fields)
    with override_settings(RUTA_FIELD_KEYS=[NEW, OLD]):
        same, again = activities.record_attendance(user, after, "CARD-0042", fields)
        assert same.pk == person.pk and (new, again) == (True, False)
        assert Participant.objects.get().code_hash == activities.participant_key(
            world.care, "card-0042"
        )
    assert Participant.objects.count() == 1


def test_a_repeat_caller_is_recognised_and_re_keyed_after_a_rotation(world: Any) -> None:
    operator = world.user("helpline.care")
    with override_settings(RUTA_FIELD_KEYS=[OLD]):
        first = helpline.create_contact(operator, phone="+51 900 000 001")
    with override_settings(RUTA_FIELD_KEYS=[NEW, OLD]):
        second = helpline.create_contact(operator, phone="51-900-000-001 ")
        other = helpline.create_contact(operator, phone="+51 900 000 002")
        assert second.is_repeat and not other.is_repeat
        # The earlier contact now carries the new key's hash: one caller in the figures.
        first.refresh_from_db()
        assert first.phone_hash == second.phone_hash == helpline.phone_hash("51900000001")
    assert Contact.objects.filter(phone_hash=second.phone_hash).count() == 2


def test_find_keyed_prefers_the_current_key_and_rewrites_only_what_it_finds(world: Any) -> None:
    programme = make_programme(world.care)
    with override_settings(RUTA_FIELD_KEYS=[OLD]):
        stabilisation.enrol(programme, "HH-001")
        stabilisation.enrol(programme, "HH-002")
    with override_settings(RUTA_FIELD_KEYS=[NEW, OLD]):
        rows = Beneficiary.objects.filter(programme=programme)
        found = find_keyed(rows, "code", f"stabilisation:{programme.uuid}:HH-001")
        assert found is not None
        codes = dict(rows.values_list("pk", "code"))
        current = stabilisation.beneficiary_code(programme, "HH-001")
        assert codes[found.pk] == current
        untouched = [code for pk, code in codes.items() if pk != found.pk]
        assert untouched and current not in untouched
        assert stabilisation.beneficiary_code(programme, "HH-002") not in untouched
