"""The demo accounts, and the organizations they belong to (``ruta.agencies.demo``).

``load_demo()`` is idempotent; ``remove_demo()`` runs last, after every other app has
taken its demo records away, and deletes the accounts (or disables and anonymises those
an audit history still points at).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import ProtectedError

from ruta.accounts.models import User
from ruta.agencies.demo import DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_USERS, load_organizations


@dataclass
class AccountsDemoSummary:
    organizations: int = 0
    accounts: int = 0
    warnings: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"Demo data: {self.organizations} organizations and {self.accounts} accounts created "
            f"({len(DEMO_ORGANIZATIONS)} organizations and {len(DEMO_USERS)} demo accounts in all)."
        )


@dataclass(frozen=True)
class AccountsRemoved:
    deleted: int
    disabled: int

    def describe(self) -> str:
        return f"Demo accounts deleted: {self.deleted}; disabled and anonymised: {self.disabled}."


def load_demo() -> AccountsDemoSummary:
    """Create the demo organizations and accounts; a real account is never touched."""
    summary = AccountsDemoSummary()
    with transaction.atomic():
        by_acronym, summary.organizations = load_organizations()
        for email, full_name, role, acronym in DEMO_USERS:
            user = User.objects.filter(email__iexact=email).first()
            if user is None:
                User.objects.create_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    role=role,
                    organization=by_acronym[acronym],
                    is_demo=True,
                )
                summary.accounts += 1
            elif not user.is_demo:
                summary.warnings.append(
                    f"{email} exists and is not a demo account; left untouched."
                )
    return summary


def remove_demo() -> AccountsRemoved:
    """Delete the demo accounts; one an audit event protects is disabled and anonymised."""
    deleted = disabled = 0
    with transaction.atomic():
        for user in User.objects.filter(is_demo=True):
            try:
                with transaction.atomic():
                    user.delete()
                deleted += 1
            except ProtectedError:
                user.email = f"removed-demo-{user.uuid}@invalid.example"
                user.full_name = ""
                user.is_active = False
                user.is_demo = False
                user.set_unusable_password()
                user.session_generation += 1
                user.save()
                disabled += 1
    return AccountsRemoved(deleted, disabled)
