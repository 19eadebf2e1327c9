"""What conferences plug into the apps below them (registered in
``ConferencesConfig.ready()``): the invitation text, the today line and the link on the
case page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ruta.cases import extensions
from ruta.conferences import closing, retention
from ruta.conferences.work import open_actions_for
from ruta.notifications import registry
from ruta.notifications.models import NotificationKind

if TYPE_CHECKING:
    from ruta.accounts.models import User


def conference_text(details: dict[str, Any]) -> str:
    if details.get("event") == "case_closed":
        return _(
            "The case of your conference of %(date)s (case %(ref)s) was closed; the "
            "conference is closed or cancelled."
        ) % {"date": details.get("conference_on", ""), "ref": details.get("reference", "")}
    return _("You are invited to a case conference on %(date)s (case %(ref)s).") % {
        "date": registry.local_date(details.get("conference_on", "")),
        "ref": details.get("reference", ""),
    }


def open_actions(user: User) -> int:
    return open_actions_for(user).count()


def register() -> None:
    registry.register_text(NotificationKind.CONFERENCE, conference_text)
    extensions.add_today_line(
        extensions.TodayLine("conferences/_today_line.html", open_actions, order=30)
    )
    extensions.add_case_section(extensions.CaseSection("conferences/_case_link.html", order=30))
    extensions.on_case_anonymised(retention.anonymise_case_conferences, retention.COVERS)
    extensions.on_case_erased(retention.erase_case_conferences)
    extensions.add_open_risk_source(closing.open_risks)
    extensions.on_case_closed(closing.settle_for_closed_case)
