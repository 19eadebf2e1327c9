"""Text Ruta writes into a case (not a person) is stored as a code and read in the reader's
language: a risk reason set by the PHQ-9 item 9 flag reads in English on an English page and
in Spanish on a Spanish one, whoever's language was active when it was written.

The code lives inside the encrypted free-text field it stands for (``ruta:<code>``), so it is
encrypted, anonymised and exchanged with the field like anything a person writes there.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PREFIX = "ruta:"

RISK_REASONS: dict[str, Promise] = {
    "phq9_item9": _("PHQ-9 item 9 answered above 0: risk of suicide or self-harm."),
    "urgent_referral": _("Received as an urgent referral."),
}


def coded(code: str) -> str:
    """What is stored for the system's text ``code``."""
    if code not in RISK_REASONS:
        raise KeyError(code)
    return PREFIX + code


def readable(stored: str) -> str:
    """The stored text as the reader reads it: a known code in the active language,
    anything else as it was written."""
    if stored.startswith(PREFIX):
        text = RISK_REASONS.get(stored[len(PREFIX) :])
        if text is not None:
            return str(text)
    return stored


def _every_language(stored: str) -> set[str]:
    texts = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts.add(readable(stored).strip())
    return texts


def kept(stored: str, submitted: str) -> str:
    """What to store when a form sends ``submitted`` back over ``stored``: the code again
    when the person left the system's text as it was shown (in any language), otherwise
    what they wrote."""
    if stored.startswith(PREFIX) and submitted.strip() in _every_language(stored):
        return stored
    return submitted
