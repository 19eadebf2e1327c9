"""Case-data roles take two people: a grant is announced, audited and, when
RUTA_CONFIRM_ROLE_GRANTS is on, waits for a second person before it takes effect."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import make_user, verified_login
from ruta.accounts import actions
from ruta.accounts.models import RoleGrant, RoleGrantStatus, User
from ruta.accounts.tests.conftest import enrol, post_login, totp_code
from ruta.audit.models import AuditEvent
from ruta.lib.permissions import Role

pytestmark = pytest.mark.django_db

INVITE = reverse("accounts:user_invite")
GRANTS = reverse("accounts:role_grant_list")
SETUP = reverse("accounts:two_factor_setup")
VERIFY = reverse("accounts:login_verify")
SHADOW = "shadow@attacker.example"


def _invite(client: Any, organization: Any, role: str, email: str = SHADOW) -> Any:
    return client.post(
        INVITE,
        {
            "email": email,
            "full_name": "Shadow",
            "role": role,
            "organization": str(organization.uuid),
            "language": "es",
        },
    )


def _to(address: str) -> list[Any]:
    return [message for message in mail.outbox if address in message.to]


def _confirm(client: Any, grant: RoleGrant) -> Any:
    return client.post(reverse("accounts:role_grant_confirm", args=[grant.uuid]))


def _refuse(client: Any, grant: RoleGrant) -> Any:
    return client.post(reverse("accounts:role_grant_refuse", args=[grant.uuid]))


def _role(client: Any, user: Any, role: str) -> Any:
    return client.post(reverse("accounts:user_role", args=[user.uuid]), {"role": role})


def test_an_agency_admin_cannot_hand_a_stranger_the_agencys_cases(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Issue #14, finding 1, end to end through HTTP."""
    admin = world.user("agency_admin.care")

    # A password alone only reaches the enrolment page: no invitation possible.
    assert post_login(client, admin.email).status_code == 302
    assert client.get(INVITE)["Location"] == SETUP
    assert _invite(client, world.care, Role.SUPERVISOR)["Location"] == SETUP
    assert not User.objects.filter(email=SHADOW).exists()

    # With the second factor the invitation is accepted, but it grants nothing yet.
    device, _codes = enrol(admin)
    client.logout()
    assert post_login(client, admin.email)["Location"] == VERIFY
    assert client.post(VERIFY, {"token": totp_code(device)}).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, world.care, Role.SUPERVISOR)
    shadow = User.objects.get(email=SHADOW)
    assert response["Location"] == reverse("accounts:user_detail", args=[shadow.uuid])
    assert not shadow.is_active
    assert _to(SHADOW) == []
    grant = RoleGrant.objects.get(user=shadow)
    assert grant.status == RoleGrantStatus.PENDING
    assert (grant.role, grant.previous_role, grant.requested_by) == (Role.SUPERVISOR, "", admin)
    # CARE's supervisor hears of it, with the page to decide; HIAS hears nothing.
    (notice,) = _to("supervisor.care@test.org")
    assert SHADOW in notice.body
    assert GRANTS in notice.body
    assert _to("supervisor.hias@test.org") == []
    assert _to(admin.email) == []
    detail = client.get(reverse("accounts:user_detail", args=[shadow.uuid])).content.decode()
    assert "esperando la confirmación" in detail

    # The requester cannot confirm, activate or mail a password link to the account.
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(client, grant)
        client.post(reverse("accounts:user_active", args=[shadow.uuid]), {"active": "1"})
        client.post(reverse("accounts:user_resend_invite", args=[shadow.uuid]))
    shadow.refresh_from_db()
    grant.refresh_from_db()
    assert grant.status == RoleGrantStatus.PENDING
    assert not shadow.is_active
    assert _to(SHADOW) == []

    # Another agency's supervisor does not even see it.
    hias = verified_login(Client(), world.user("supervisor.hias"))
    assert _confirm(hias, grant).status_code == 404
    assert _refuse(hias, grant).status_code == 404
    assert SHADOW not in hias.get(GRANTS).content.decode()
    grant.refresh_from_db()
    assert grant.status == RoleGrantStatus.PENDING

    # CARE's supervisor confirms: only now the account opens and the invitation goes out.
    supervisor = verified_login(Client(), world.user("supervisor.care"))
    assert SHADOW in supervisor.get(GRANTS).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert _confirm(supervisor, grant)["Location"] == GRANTS
    shadow.refresh_from_db()
    grant.refresh_from_db()
    assert shadow.is_active
    assert (grant.status, grant.decided_by) == (
        RoleGrantStatus.CONFIRMED,
        world.user("supervisor.care"),
    )
    (invitation,) = _to(SHADOW)
    assert "/cuenta/contrasena/nueva/" in invitation.body
    assert list(
        AuditEvent.objects.filter(object_uuid=shadow.uuid)
        .order_by("id")
        .values_list("action", "actor__email")
    ) == [
        ("user.invited", admin.email),
        ("user.role_grant_requested", admin.email),
        ("user.role_grant_confirmed", "supervisor.care@test.org"),
    ]


def test_raising_a_role_waits_and_the_holder_is_told(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    target = world.user("caseworker.care")
    target_session = verified_login(Client(), target)
    verified_login(client, world.user("agency_admin.care"))
    with django_capture_on_commit_callbacks(execute=True):
        _role(client, target, Role.SUPERVISOR)
    target.refresh_from_db()
    assert target.role == Role.CASEWORKER
    assert target_session.get(reverse("accounts:security")).status_code == 200
    assert not AuditEvent.objects.filter(action="user.role_changed").exists()
    grant = RoleGrant.objects.get(user=target, status=RoleGrantStatus.PENDING)
    assert grant.previous_role == Role.CASEWORKER
    assert len(_to(target.email)) == 1
    assert len(_to("supervisor.care@test.org")) == 1

    # One pending grant per account.
    with pytest.raises(actions.AccountError):
        actions.change_role(world.user("agency_admin.care"), target, Role.SUPERVISOR)

    supervisor = verified_login(Client(), world.user("supervisor.care"))
    _confirm(supervisor, grant)
    target.refresh_from_db()
    assert target.role == Role.SUPERVISOR
    # A new role means new sessions.
    assert target_session.get(reverse("accounts:security")).status_code == 302
    assert AuditEvent.objects.get(action="user.role_changed").details == {
        "from": Role.CASEWORKER,
        "to": Role.SUPERVISOR,
    }


def test_lowering_a_role_takes_effect_at_once(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    target = world.user("supervisor.care")
    verified_login(client, world.user("agency_admin.care"))
    with django_capture_on_commit_callbacks(execute=True):
        _role(client, target, Role.HELPLINE)
    target.refresh_from_db()
    assert target.role == Role.HELPLINE
    assert not RoleGrant.objects.exists()
    assert mail.outbox == []


def test_a_grant_that_no_longer_matches_the_account_cannot_be_confirmed(
    client: Any, world: Any
) -> None:
    admin, target = world.user("agency_admin.care"), world.user("caseworker.care")
    verified_login(client, admin)
    _role(client, target, Role.SUPERVISOR)
    _role(client, target, Role.HELPLINE)  # lowered meanwhile: at once
    grant = RoleGrant.objects.get(user=target)
    supervisor = verified_login(Client(), world.user("supervisor.care"))
    _confirm(supervisor, grant)
    target.refresh_from_db()
    grant.refresh_from_db()
    assert target.role == Role.HELPLINE
    assert grant.status == RoleGrantStatus.PENDING


def test_the_account_holder_cannot_confirm_their_own_grant(client: Any, world: Any) -> None:
    second_admin = make_user("second.admin@test.org", Role.AGENCY_ADMIN, world.care)
    verified_login(client, world.user("agency_admin.care"))
    _role(client, second_admin, Role.SUPERVISOR)
    grant = RoleGrant.objects.get(user=second_admin)
    holder = verified_login(Client(), second_admin)
    _confirm(holder, grant)
    grant.refresh_from_db()
    second_admin.refresh_from_db()
    assert grant.status == RoleGrantStatus.PENDING
    assert second_admin.role == Role.AGENCY_ADMIN


@pytest.mark.parametrize("decider", ["agency_admin.care", "admin"])
def test_another_admin_may_decide(
    client: Any, world: Any, decider: str, django_capture_on_commit_callbacks: Any
) -> None:
    """Another CARE agency admin, or a platform admin, confirms what a CARE admin asked."""
    asker = make_user("second.admin@test.org", Role.AGENCY_ADMIN, world.care)
    verified_login(client, asker)
    _invite(client, world.care, Role.CASEWORKER)
    grant = RoleGrant.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        _confirm(verified_login(Client(), world.user(decider)), grant)
    grant.refresh_from_db()
    assert grant.decided_by == world.user(decider)
    assert User.objects.get(email=SHADOW).is_active
    assert len(_to(SHADOW)) == 1


@pytest.mark.parametrize("key", ["caseworker.care", "helpline.care", "coordinator", "analyst"])
def test_roles_without_the_capability_cannot_decide(client: Any, world: Any, key: str) -> None:
    verified_login(client, world.user("agency_admin.care"))
    _invite(client, world.care, Role.CASEWORKER)
    grant = RoleGrant.objects.get()
    other = verified_login(Client(), world.user(key))
    assert other.get(GRANTS).status_code == 403
    assert _confirm(other, grant).status_code == 403
    grant.refresh_from_db()
    assert grant.status == RoleGrantStatus.PENDING


def test_refusal_keeps_a_new_account_closed(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    admin = world.user("agency_admin.care")
    verified_login(client, admin)
    _invite(client, world.care, Role.HELPLINE)
    grant = RoleGrant.objects.get()
    supervisor = verified_login(Client(), world.user("supervisor.care"))
    with django_capture_on_commit_callbacks(execute=True):
        _refuse(supervisor, grant)
        # A refused grant is final.
        _confirm(supervisor, grant)
    grant.refresh_from_db()
    shadow = User.objects.get(email=SHADOW)
    assert grant.status == RoleGrantStatus.REFUSED
    assert not shadow.is_active
    assert _to(SHADOW) == []
    with pytest.raises(actions.AccountError):
        actions.set_active(admin, shadow, True)
    with pytest.raises(actions.AccountError):
        actions.send_password_link(admin, shadow)
    assert AuditEvent.objects.filter(action="user.role_grant_refused").count() == 1
    assert not AuditEvent.objects.filter(action="user.role_grant_confirmed").exists()


@pytest.mark.parametrize("decided", ["refused", "pending"])
def test_a_new_account_given_a_lower_role_still_waits_for_a_second_person(
    client: Any, world: Any, decided: str, django_capture_on_commit_callbacks: Any
) -> None:
    """Refused (or waiting) as supervisor, then "lowered" to caseworker: still nobody's
    confirmation, so still closed. The lower role is a new request for a second person."""
    admin = world.user("agency_admin.care")
    verified_login(client, admin)
    _invite(client, world.care, Role.SUPERVISOR)
    shadow = User.objects.get(email=SHADOW)
    first = RoleGrant.objects.get(user=shadow)
    if decided == "refused":
        actions.refuse_role_grant(world.user("supervisor.care"), first)
        with django_capture_on_commit_callbacks(execute=True):
            actions.change_role(admin, shadow, Role.CASEWORKER)
        second = RoleGrant.objects.filter(user=shadow).latest("requested_at")
        assert (second.role, second.previous_role, second.status) == (
            Role.CASEWORKER,
            "",
            RoleGrantStatus.PENDING,
        )
    else:
        with pytest.raises(actions.AccountError):
            actions.change_role(admin, shadow, Role.CASEWORKER)
    for step in (actions.set_active, actions.send_password_link):
        with pytest.raises(actions.AccountError):
            step(admin, shadow, True) if step is actions.set_active else step(admin, shadow)
    shadow.refresh_from_db()
    assert not shadow.is_active and _to(SHADOW) == []


def test_making_a_platform_admin_needs_another_platform_admin(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Else one platform admin could make a second one and confirm their own requests."""
    admin = world.user("admin")
    verified_login(client, admin)
    _invite(client, world.network, Role.ADMIN)
    second = User.objects.get(email=SHADOW)
    assert not second.is_active and _to(SHADOW) == []
    grant = RoleGrant.objects.get(user=second)
    assert (grant.role, grant.status) == (Role.ADMIN, RoleGrantStatus.PENDING)
    with pytest.raises(actions.AccountError):
        actions.confirm_role_grant(admin, grant)  # not the one who asked
    with pytest.raises(actions.AccountError):  # an agency admin cannot make platform admins
        actions.confirm_role_grant(world.user("agency_admin.care"), grant)
    other = make_user("second.admin@test.org", Role.ADMIN, world.network)
    with django_capture_on_commit_callbacks(execute=True):
        actions.confirm_role_grant(other, grant)
    second.refresh_from_db()
    assert second.is_active and len(_to(SHADOW)) == 1


def test_activation_is_refused_while_a_grant_is_pending(client: Any, world: Any) -> None:
    admin = world.user("agency_admin.care")
    verified_login(client, admin)
    _invite(client, world.care, Role.CASEWORKER)
    shadow = User.objects.get(email=SHADOW)
    with pytest.raises(actions.AccountError):
        actions.set_active(admin, shadow, True)
    response = client.post(
        reverse("accounts:user_active", args=[shadow.uuid]), {"active": "1"}, follow=True
    )
    assert "esperando la confirmación" in response.content.decode()
    shadow.refresh_from_db()
    assert not shadow.is_active
    assert not AuditEvent.objects.filter(action="user.activated").exists()


def test_without_confirmation_a_grant_is_confirmed_at_once_but_still_audited_and_announced(
    client: Any, world: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.RUTA_CONFIRM_ROLE_GRANTS = False
    admin, target = world.user("agency_admin.care"), world.user("helpline.care")
    verified_login(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, world.care, Role.SUPERVISOR)
        _role(client, target, Role.CASEWORKER)
    shadow = User.objects.get(email=SHADOW)
    target.refresh_from_db()
    assert shadow.is_active
    assert target.role == Role.CASEWORKER
    # Its invitation (and, once a supervisor, the notice of the next grant).
    assert len([m for m in _to(SHADOW) if "/cuenta/contrasena/nueva/" in m.body]) == 1
    assert len(_to(target.email)) == 1
    assert len(_to("supervisor.care@test.org")) == 2
    grants = RoleGrant.objects.order_by("requested_at")
    assert [grant.status for grant in grants] == [RoleGrantStatus.CONFIRMED] * 2
    assert [grant.decided_by for grant in grants] == [None, None]
    assert AuditEvent.objects.filter(action="user.role_grant_requested").count() == 2
    assert AuditEvent.objects.filter(action="user.role_grant_confirmed").count() == 2


def test_making_an_agency_admin_is_a_grant_too(client: Any, world: Any) -> None:
    """Else one admin could create a second admin account and confirm their own requests."""
    verified_login(client, world.user("agency_admin.care"))
    _invite(client, world.care, Role.AGENCY_ADMIN)
    second = User.objects.get(email=SHADOW)
    assert not second.is_active
    grant = RoleGrant.objects.get(user=second)
    assert (grant.role, grant.status) == (Role.AGENCY_ADMIN, RoleGrantStatus.PENDING)
    target = world.user("caseworker.care")
    _role(client, target, Role.AGENCY_ADMIN)
    target.refresh_from_db()
    assert target.role == Role.CASEWORKER
    assert RoleGrant.objects.filter(status=RoleGrantStatus.PENDING).count() == 2


def test_roles_without_case_data_or_granting_power_need_no_grant(client: Any, world: Any) -> None:
    verified_login(client, world.user("admin"))
    _invite(client, world.care, Role.ANALYST)
    assert User.objects.get(email=SHADOW).is_active
    assert not RoleGrant.objects.exists()


def test_audit_details_hold_role_names_only(client: Any, world: Any) -> None:
    verified_login(client, world.user("agency_admin.care"))
    _invite(client, world.care, Role.CASEWORKER)
    _role(client, world.user("helpline.care"), Role.SUPERVISOR)
    for grant in RoleGrant.objects.all():
        _refuse(verified_login(Client(), world.user("supervisor.care")), grant)
    events = AuditEvent.objects.filter(action__startswith="user.role_grant_")
    assert events.count() == 4
    for event in events:
        assert set(event.details) == {"role", "previous_role"}
        assert set(event.details.values()) <= {*Role.values, ""}


def test_the_user_list_shows_pending_and_recent_grants(client: Any, world: Any) -> None:
    care_admin = world.user("agency_admin.care")
    verified_login(client, care_admin)
    _invite(client, world.care, Role.CASEWORKER, "pending.person@test.org")
    _invite(client, world.care, Role.CASEWORKER, "refused.person@test.org")
    actions.refuse_role_grant(
        world.user("supervisor.care"),
        RoleGrant.objects.get(user__email="refused.person@test.org"),
    )
    hias_admin = world.user("agency_admin.hias")
    actions.invite_user(
        hias_admin,
        email="hias.person@test.org",
        full_name="",
        role=Role.CASEWORKER,
        organization=world.hias,
    )
    page = client.get(reverse("accounts:user_list")).content.decode()
    grants = page.split('id="pending-grants"')[1]
    pending, recent = grants.split('id="recent-grants"')
    assert "pending.person@test.org" in pending
    assert "refused.person@test.org" not in pending
    assert "refused.person@test.org" in recent
    assert "Rechazado" in recent
    assert "hias.person@test.org" not in page
    # The requester sees no buttons for their own request.
    assert "role_grant_confirm" not in page
    assert reverse("accounts:role_grant_confirm", args=[RoleGrant.objects.first().uuid]) not in page


def test_the_grants_page_is_scoped_and_the_dashboard_points_to_it(client: Any, world: Any) -> None:
    actions.invite_user(
        world.user("agency_admin.care"),
        email="care.person@test.org",
        full_name="",
        role=Role.CASEWORKER,
        organization=world.care,
    )
    actions.invite_user(
        world.user("agency_admin.hias"),
        email="hias.person@test.org",
        full_name="",
        role=Role.CASEWORKER,
        organization=world.hias,
    )
    verified_login(client, world.user("supervisor.care"))
    page = client.get(GRANTS).content.decode()
    assert "care.person@test.org" in page
    assert "hias.person@test.org" not in page
    care_grant = RoleGrant.objects.get(user__email="care.person@test.org")
    assert reverse("accounts:role_grant_confirm", args=[care_grant.uuid]) in page
    assert GRANTS in client.get(reverse("core:dashboard")).content.decode()

    platform = verified_login(Client(), world.user("admin")).get(GRANTS).content.decode()
    assert "care.person@test.org" in platform
    assert "hias.person@test.org" in platform


def test_nothing_pending_no_pointer_on_the_dashboard(client: Any, world: Any) -> None:
    verified_login(client, world.user("supervisor.care"))
    assert GRANTS not in client.get(reverse("core:dashboard")).content.decode()


def test_notices_go_out_in_each_recipients_language(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    supervisor = world.user("supervisor.care")
    supervisor.language = "en"
    supervisor.save()
    verified_login(client, world.user("agency_admin.care"))
    with django_capture_on_commit_callbacks(execute=True):
        _role(client, world.user("caseworker.care"), Role.SUPERVISOR)
    (english,) = _to(supervisor.email)
    (spanish,) = _to("caseworker.care@test.org")
    assert english.subject == "Ruta: a role grant is waiting for your confirmation"
    assert "/en/" in english.body
    assert spanish.subject == "Un nuevo rol para su cuenta de Ruta"


def test_forgotten_password_form_sends_nothing_to_a_waiting_account(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    verified_login(client, world.user("agency_admin.care"))
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, world.care, Role.SUPERVISOR)
        Client().post(reverse("accounts:password_reset"), {"email": SHADOW})
    assert User.objects.filter(email=SHADOW).exists()
    assert _to(SHADOW) == []


def test_the_grants_page_has_a_fixed_number_of_queries(
    client: Any, world: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(12):
        actions.invite_user(
            world.user("agency_admin.care"),
            email=f"person{n:02d}@test.org",
            full_name="",
            role=Role.HELPLINE,
            organization=world.care,
        )
    for grant in RoleGrant.objects.all()[:6]:
        actions.refuse_role_grant(world.user("supervisor.care"), grant)
    verified_login(client, world.user("supervisor.care"))
    assert client.get(GRANTS).status_code == 200  # marks the session as seen
    # Session, user, OTP device, the grants with their people, unread notifications.
    with django_assert_max_num_queries(5):
        page = client.get(GRANTS).content.decode()
    assert all(f"person{n:02d}@test.org" in page for n in range(12))
