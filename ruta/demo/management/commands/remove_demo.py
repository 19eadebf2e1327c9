"""Remove the demo data and accounts before serving production traffic."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from ruta.demo.loader import removers


class Command(BaseCommand):
    help = "Delete demo accounts; those with an audit history are disabled and anonymised."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        for remove_demo in removers():
            self.stdout.write(remove_demo().describe())
