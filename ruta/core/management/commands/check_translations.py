"""Fail when the .po files are not current with the code, Spanish is incomplete or .mo is stale."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

LANGUAGES = ["es", "en"]
IGNORE = [".venv/*", "staticfiles/*", "var/*", "node_modules/*"]


def _strip_header_dates(text: str) -> str:
    return "\n".join(
        line for line in text.splitlines() if not line.startswith('"POT-Creation-Date:')
    )


def untranslated_entries(po_text: str) -> list[str]:
    """msgids whose translation is empty or marked fuzzy."""
    problems = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if line.strip()]
        if not lines or all(line.startswith("#~") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid: list[str] = []
        strings: list[list[str]] = []
        current: list[str] | None = None
        for line in lines:
            if line.startswith("msgid "):
                current = msgid
                current.append(line[6:])
            elif line.startswith(("msgid_plural", "msgctxt")):
                current = None
            elif line.startswith("msgstr"):
                current = []
                strings.append(current)
                current.append(line.split(" ", 1)[1])
            elif line.startswith('"') and current is not None:
                current.append(line)
        text_id = "".join(part.strip('"') for part in msgid)
        if not text_id:
            continue  # the header
        if fuzzy or any(not "".join(p.strip('"') for p in s) for s in strings):
            problems.append(text_id)
    return problems


class Command(BaseCommand):
    help = "Check that locale files are current, Spanish is complete and compiled catalogs match."

    def handle(self, *args: Any, **options: Any) -> None:
        locale_dir = Path(settings.LOCALE_PATHS[0])
        with tempfile.TemporaryDirectory() as tmp:
            backup = Path(tmp) / "locale"
            shutil.copytree(locale_dir, backup)
            try:
                call_command(
                    "makemessages",
                    locale=LANGUAGES,
                    no_location=True,
                    no_obsolete=True,
                    ignore_patterns=IGNORE,
                    verbosity=0,
                )
                stale = []
                for language in LANGUAGES:
                    relative = Path(language) / "LC_MESSAGES" / "django.po"
                    fresh = (locale_dir / relative).read_text(encoding="utf-8")
                    kept = (backup / relative).read_text(encoding="utf-8")
                    if _strip_header_dates(fresh) != _strip_header_dates(kept):
                        stale.append(str(relative))
            finally:
                shutil.rmtree(locale_dir)
                shutil.copytree(backup, locale_dir)
            if stale:
                raise CommandError(
                    "Translation files are out of date: "
                    + ", ".join(stale)
                    + ". Run `make messages`, translate, and commit."
                )
            spanish = (locale_dir / "es" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
            missing = untranslated_entries(spanish)
            if missing:
                shown = "\n  ".join(missing[:20])
                raise CommandError(
                    f"{len(missing)} Spanish strings are untranslated or fuzzy:\n  {shown}"
                )
            for language in LANGUAGES:
                po = locale_dir / language / "LC_MESSAGES" / "django.po"
                mo = po.with_suffix(".mo")
                compiled = Path(tmp) / f"{language}.mo"
                subprocess.run(  # noqa: S603
                    ["msgfmt", "--check-format", "-o", str(compiled), str(po)],  # noqa: S607
                    check=True,
                )
                if not mo.exists() or not filecmp.cmp(compiled, mo, shallow=False):
                    raise CommandError(f"{mo} is not compiled from {po}: run `make messages`.")
        self.stdout.write("Translations are current and complete.")
