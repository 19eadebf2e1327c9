"""Create the demo organizations and accounts. Safe to run again: nothing is duplicated."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from ruta.accounts.models import User
from ruta.agencies.demo import DEMO_ORGANIZATIONS, DEMO_PASSWORD, DEMO_USERS
from ruta.agencies.models import Organization
from ruta.cases.demo import load_case_demo
from ruta.conferences.demo import load_conferences_demo
from ruta.directory.demo import load_directory_demo
from ruta.network.demo import load_network_demo
from ruta.places.demo import load_demo as load_places_demo
from ruta.practices.demo import load_practices_demo
from ruta.referrals.demo import load_referral_demo
from ruta.trainings.demo import load_trainings_demo
from ruta.transfers.demo import load_transfers_demo


class Command(BaseCommand):
    help = "Load the demo organizations and users (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        by_acronym = {}
        created_orgs = 0
        for name, acronym, kind, website in DEMO_ORGANIZATIONS:
            organization, created = Organization.objects.update_or_create(
                name=name,
                defaults={
                    "acronym": acronym,
                    "type": kind,
                    "website": website,
                    "countries": ["PE"],
                    "active": True,
                },
            )
            created_orgs += created
            by_acronym[acronym] = organization
        created_users = 0
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
                created_users += 1
            elif not user.is_demo:
                self.stderr.write(f"{email} exists and is not a demo account; left untouched.")
        self.stdout.write(
            f"Demo data: {created_orgs} organizations and {created_users} accounts created "
            f"({len(DEMO_ORGANIZATIONS)} organizations and {len(DEMO_USERS)} demo accounts in all)."
        )
        self.stdout.write(load_places_demo().describe())
        self.stdout.write(load_directory_demo().describe())
        self.stdout.write(load_case_demo().describe())
        self.stdout.write(load_referral_demo().describe())
        self.stdout.write(load_conferences_demo().describe())
        self.stdout.write(load_transfers_demo().describe())
        self.stdout.write(load_practices_demo().describe())
        self.stdout.write(load_network_demo().describe())
        self.stdout.write(load_trainings_demo().describe())
