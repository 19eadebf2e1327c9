"""What the helpline plugs into the apps below it (registered in ``HelplineConfig.ready()``):
the text of its notifications."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from ruta.notifications import registry
from ruta.notifications.models import NotificationKind


def risk_text(details: dict[str, Any]) -> str:
    texts = {
        "raised": _(
            "Risk alert on helpline contact %(ref)s: the risk protocol was started. "
            "Open the contact and acknowledge the alert."
        ),
        "debrief": _("An operator asks for a debrief after helpline contact %(ref)s."),
    }
    text = texts.get(details.get("event", ""), _("Helpline contact %(ref)s needs you."))
    return text % {"ref": details.get("reference", "")}


def register() -> None:
    registry.register_text(NotificationKind.HELPLINE_RISK, risk_text)
