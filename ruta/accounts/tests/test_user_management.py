"""Agency admins manage their own agency's people; platform admins manage everyone."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from conftest import make_user, verified_login
from ruta.accounts import actions
from ruta.accounts.models import User
from ruta.accounts.tests.conftest import error_text, post_login
from ruta.audit.models import AuditEvent
from ruta.lib.permissions import Role

pytestmark = pytest.mark.django_db

INVITE = reverse("accounts:user_invite")


def _invite(client: Any, organization: Any, role: str, email: str = "new.person@test.org") -> Any:
    return client.post(
        INVITE,
        {
            "email": email,
            "full_name": "New Person",
            "role": role,
            "organization": str(organization.uuid),
            "language": "es",
        },
    )


def _role(client: Any, user: Any, role: str) -> Any:
    return client.post(reverse("accounts:user_role", args=[user.uuid]), {"role": role})


def _active(client: Any, user: Any, active: bool) -> Any:
    return client.post(
        reverse("accounts:user_active", args=[user.uuid]), {"active": "1" if active else "0"}
    )


def _to(address: str) -> list[Any]:
    return [message for message in mail.outbox if message.to == [address]]


def test_agency_admin_invites_into_own_organization(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    # The invitation itself; a second person's confirmation is tested in test_role_grants.
    settings.RUTA_CONFIRM_ROLE_GRANTS = False
    admin = world.user("agency_admin.care")
    verified_login(client, admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, world.care, Role.CASEWORKER, "New.Person@Test.org")
    user = User.objects.get(email="new.person@test.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[user.uuid])
    assert user.organization == world.care
    assert user.role == Role.CASEWORKER
    assert not user.has_usable_password()
    (invitation,) = _to("new.person@test.org")
    assert "/cuenta/contrasena/nueva/" in invitation.body
    event = AuditEvent.objects.get(action="user.invited")
    assert event.actor == admin
    assert event.object_uuid == user.uuid
    assert event.organization == world.care
    assert event.details == {"role": Role.CASEWORKER}


def test_invited_person_sets_a_password_from_the_email(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.RUTA_CONFIRM_ROLE_GRANTS = False
    verified_login(client, world.user("agency_admin.care"))
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client, world.care, Role.HELPLINE)
    (invitation,) = _to("new.person@test.org")
    link = next(word for word in invitation.body.split() if "/cuenta/contrasena/nueva/" in word)
    invited = Client()
    form = invited.get(link, follow=True)
    password = "river-lantern-quiet-harbor-9"
    done = invited.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302
    assert post_login(invited, "new.person@test.org", password).status_code == 302


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.ANALYST])
def test_agency_admin_cannot_grant_network_roles(client: Any, world: Any, role: str) -> None:
    verified_login(client, world.user("agency_admin.care"))
    response = _invite(client, world.care, role)
    assert response.status_code == 200
    assert error_text(response)
    assert not User.objects.filter(email="new.person@test.org").exists()
    assert not AuditEvent.objects.filter(action="user.invited").exists()
    assert mail.outbox == []


def test_agency_admin_cannot_invite_into_another_agency(client: Any, world: Any) -> None:
    verified_login(client, world.user("agency_admin.care"))
    response = _invite(client, world.hias, Role.CASEWORKER)
    assert response.status_code == 200
    assert error_text(response)
    assert not User.objects.filter(email="new.person@test.org").exists()


def test_inviting_an_existing_address_is_refused(client: Any, world: Any) -> None:
    verified_login(client, world.user("agency_admin.care"))
    response = _invite(client, world.care, Role.CASEWORKER, "Caseworker.HIAS@test.org")
    assert response.status_code == 200
    assert error_text(response)
    assert User.objects.get(email="caseworker.hias@test.org").organization == world.hias


def test_agency_admin_sees_only_own_agency(client: Any, world: Any) -> None:
    verified_login(client, world.user("agency_admin.care"))
    listing = client.get(reverse("accounts:user_list")).content.decode()
    assert "caseworker.care@test.org" in listing
    assert "caseworker.hias@test.org" not in listing
    assert "coord@test.org" not in listing


def test_agency_admin_cannot_manage_another_agency(client: Any, world: Any) -> None:
    target = world.user("caseworker.hias")
    verified_login(client, world.user("agency_admin.care"))
    assert client.get(reverse("accounts:user_detail", args=[target.uuid])).status_code == 404
    assert _role(client, target, Role.HELPLINE).status_code == 404
    assert _active(client, target, False).status_code == 404
    resend = client.post(reverse("accounts:user_resend_invite", args=[target.uuid]))
    assert resend.status_code == 404
    target.refresh_from_db()
    assert target.role == Role.CASEWORKER
    assert target.is_active
    assert not AuditEvent.objects.filter(action__startswith="user.").exists()


def test_agency_admin_changes_role_of_own_agency_user(
    client: Any, world: Any, settings: Any
) -> None:
    settings.RUTA_CONFIRM_ROLE_GRANTS = False  # a raise at once; see test_role_grants
    admin, target = world.user("agency_admin.care"), world.user("caseworker.care")
    target_session = verified_login(Client(), target)
    verified_login(client, admin)
    response = _role(client, target, Role.SUPERVISOR)
    assert response["Location"] == reverse("accounts:user_detail", args=[target.uuid])
    target.refresh_from_db()
    assert target.role == Role.SUPERVISOR
    # A new role means new sessions.
    assert target_session.get(reverse("accounts:security")).status_code == 302
    event = AuditEvent.objects.get(action="user.role_changed")
    assert event.actor == admin
    assert event.object_uuid == target.uuid
    assert event.details == {"from": Role.CASEWORKER, "to": Role.SUPERVISOR}


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR, Role.ANALYST])
def test_agency_admin_cannot_promote_above_own_role(client: Any, world: Any, role: str) -> None:
    target = world.user("caseworker.care")
    verified_login(client, world.user("agency_admin.care"))
    _role(client, target, role)
    target.refresh_from_db()
    assert target.role == Role.CASEWORKER
    assert not AuditEvent.objects.filter(action="user.role_changed").exists()


def test_agency_admin_cannot_change_a_network_role_in_own_agency(world: Any) -> None:
    """An analyst placed in CARE by a platform admin is beyond the agency admin's reach."""
    analyst = world.user("analyst")
    analyst.organization = world.care
    analyst.save()
    with pytest.raises(actions.AccountError):
        actions.change_role(world.user("agency_admin.care"), analyst, Role.CASEWORKER)
    with pytest.raises(actions.AccountError):
        actions.set_active(world.user("agency_admin.care"), analyst, False)
    analyst.refresh_from_db()
    assert analyst.role == Role.ANALYST
    assert analyst.is_active


def test_deactivate_and_reactivate_own_agency_user(client: Any, world: Any) -> None:
    admin, target = world.user("agency_admin.care"), world.user("helpline.care")
    verified_login(client, admin)
    _active(client, target, False)
    target.refresh_from_db()
    assert not target.is_active
    _active(client, target, True)
    target.refresh_from_db()
    assert target.is_active
    actions_recorded = list(
        AuditEvent.objects.filter(object_uuid=target.uuid)
        .order_by("id")
        .values_list("action", "actor")
    )
    assert actions_recorded == [("user.deactivated", admin.pk), ("user.activated", admin.pk)]


@pytest.mark.parametrize("key", ["agency_admin.care", "admin"])
def test_nobody_changes_their_own_role_or_deactivates_themselves(
    client: Any, world: Any, key: str
) -> None:
    me = world.user(key)
    role = me.role
    verified_login(client, me)
    _role(client, me, Role.HELPLINE)
    _active(client, me, False)
    me.refresh_from_db()
    assert me.role == role
    assert me.is_active
    assert client.get(reverse("accounts:security")).status_code == 200
    detail = client.get(reverse("accounts:user_detail", args=[me.uuid])).content.decode()
    assert reverse("accounts:user_role", args=[me.uuid]) not in detail  # no form offered


def test_platform_admin_manages_any_organization(
    client: Any, world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    verified_login(client, world.user("admin"))
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(client, world.outsider_org, Role.COORDINATOR)
    assert response.status_code == 302
    assert User.objects.get(email="new.person@test.org").organization == world.outsider_org

    target = world.user("caseworker.hias")
    assert client.get(reverse("accounts:user_detail", args=[target.uuid])).status_code == 200
    _role(client, target, Role.ANALYST)
    _active(client, world.user("outsider"), False)
    target.refresh_from_db()
    assert target.role == Role.ANALYST
    assert not User.objects.get(pk=world.user("outsider").pk).is_active
    listing = client.get(reverse("accounts:user_list")).content.decode()
    assert "caseworker.hias@test.org" in listing
    assert "outsider@test.org" in listing


def test_user_list_search_is_kept_across_pages(client: Any, world: Any) -> None:
    for n in range(55):
        make_user(f"equipo{n:02d}@test.org", Role.CASEWORKER, world.care)
    verified_login(client, world.user("agency_admin.care"))
    first = client.get(reverse("accounts:user_list"), {"q": "equipo"}).content.decode()
    assert "caseworker.care@test.org" not in first
    next_link = re.search(r'<a href="\?([^"]*)" rel="next">', first)
    assert next_link is not None
    assert "q=equipo" in next_link.group(1)


@pytest.mark.parametrize("key", ["coordinator", "supervisor.care", "caseworker.care"])
def test_other_roles_cannot_manage_users(client: Any, world: Any, key: str) -> None:
    target = world.user("helpline.care")
    verified_login(client, world.user(key))
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert _active(client, target, False).status_code == 403
    target.refresh_from_db()
    assert target.is_active


def test_deactivated_user_cannot_log_in_and_loses_tokens(client: Any, world: Any) -> None:
    target = world.user("coordinator")
    key = actions.issue_api_token(target)
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get(reverse("api:me")).status_code == 200
    session = verified_login(Client(), target)

    verified_login(client, world.user("admin"))
    _active(client, target, False)

    assert api.get(reverse("api:me")).status_code == 401
    assert session.get(reverse("accounts:security")).status_code == 302
    refused = post_login(Client(), target.email)
    assert refused.status_code == 200
    assert error_text(refused)


def test_inactive_account_token_is_refused_even_if_it_survived(world: Any) -> None:
    """Deactivation deletes tokens; the token check refuses inactive accounts as well."""
    target = world.user("coordinator")
    key = actions.issue_api_token(target)
    User.objects.filter(pk=target.pk).update(is_active=False)
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").get(reverse("api:me"))
    assert response.status_code == 401
