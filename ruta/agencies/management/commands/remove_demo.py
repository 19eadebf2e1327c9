"""Remove the demo accounts before serving production traffic."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import ProtectedError

from ruta.accounts.models import User
from ruta.cases.demo import remove_case_demo
from ruta.conferences.demo import remove_conferences_demo
from ruta.network.demo import remove_network_demo
from ruta.practices.demo import remove_practices_demo
from ruta.referrals.demo import remove_referral_demo
from ruta.trainings.demo import remove_trainings_demo
from ruta.transfers.demo import remove_transfers_demo


class Command(BaseCommand):
    help = "Delete demo accounts; those with an audit history are disabled and anonymised."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        trainings = remove_trainings_demo()
        self.stdout.write(f"Demo trainings deleted: {trainings}.")
        network = remove_network_demo()
        self.stdout.write(f"Demo community-of-practice records deleted: {network}.")
        practices = remove_practices_demo()
        self.stdout.write(f"Demo practices deleted: {practices}.")
        transfers = remove_transfers_demo()
        self.stdout.write(f"Demo transfers deleted: {transfers}.")
        conferences = remove_conferences_demo()
        self.stdout.write(f"Demo case conferences deleted: {conferences}.")
        referrals = remove_referral_demo()
        self.stdout.write(f"Demo referrals deleted: {referrals}.")
        cases = remove_case_demo()
        self.stdout.write(f"Demo cases deleted: {cases}.")
        deleted = disabled = 0
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
        self.stdout.write(f"Demo accounts deleted: {deleted}; disabled and anonymised: {disabled}.")
