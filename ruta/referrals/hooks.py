"""What referrals plug into the apps below them (registered in ``ReferralsConfig.ready()``):
the referral notification text, the today line, the case page section, the revocation
when a consent to share is withdrawn, the track record on a service's directory page and
the producer of the printable form's secure export."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from ruta.cases import extensions
from ruta.cases.models import Case
from ruta.directory import track_record
from ruta.exports import registry as exports
from ruta.notifications import registry
from ruta.notifications.models import NotificationKind
from ruta.referrals import closing, copies, form_export, metrics
from ruta.referrals.access import received_referrals
from ruta.referrals.actions import revoke_for_withdrawn_consent
from ruta.referrals.models import Referral, ReferralStatus
from ruta.referrals.retention import COVERS, anonymise_case_referrals, erase_case_referrals

if TYPE_CHECKING:
    from ruta.accounts.models import User


def referral_text(details: dict[str, Any]) -> str:
    texts = {
        "sent": _("New referral %(ref)s for your organization."),
        "assigned": _("Referral %(ref)s was assigned to you."),
        "accepted": _("Referral %(ref)s was accepted."),
        "declined": _("Referral %(ref)s was declined. Read the reason."),
        "completed": _("Referral %(ref)s was completed. Read the feedback."),
        "revoked": _("Referral %(ref)s was revoked by the referring organization."),
        "overdue": _("Referral %(ref)s has had no answer in time."),
        "consent_withdrawn": _(
            "The survivor withdrew the consent to share referral %(ref)s with you. Record "
            "their own consent to the storage of their data in your case, or what the "
            "referral copied there will be erased."
        ),
        "sender_case_closed": _(
            "The referring organization closed its case for referral %(ref)s. The referral "
            "stays with you: complete it with your feedback when the service is given."
        ),
        "receiver_case_closed": _(
            "The receiving organization closed its case for referral %(ref)s before "
            "completing the referral."
        ),
        "copy_erased": _(
            "What referral %(ref)s copied into your case was erased: no consent of the "
            "survivor's own was recorded in time."
        ),
    }
    text = texts.get(details.get("event", ""), _("Referral %(ref)s was updated."))
    return text % {"ref": details.get("reference", "")}


def waiting_for_answer(user: User) -> int:
    return received_referrals(user).filter(status=ReferralStatus.SENT).count()


def case_referrals(case: Case) -> list[Referral]:
    return list(
        Referral.objects.filter(case=case)
        .select_related("to_organization", "service")
        .order_by("-sent_at", "-id")
    )


def register() -> None:
    registry.register_text(NotificationKind.REFERRAL, referral_text)
    extensions.add_today_line(
        extensions.TodayLine("referrals/_today_line.html", waiting_for_answer, order=10)
    )
    extensions.add_case_section(
        extensions.CaseSection("referrals/_case_referrals.html", case_referrals, order=10)
    )
    extensions.add_case_section(
        extensions.CaseSection("referrals/_case_own_consent.html", copies.waiting_in, order=5)
    )
    extensions.on_share_consent_withdrawn(revoke_for_withdrawn_consent)
    extensions.on_share_consent_withdrawn(copies.await_own_consent)
    track_record.provide(metrics.service_record)
    extensions.on_case_anonymised(anonymise_case_referrals, COVERS)
    extensions.on_case_erased(erase_case_referrals)
    extensions.add_open_risk_source(closing.open_risks)
    extensions.on_case_closed(closing.settle_for_closed_case)
    extensions.add_record_section(
        extensions.CaseSection("referrals/_record_referrals.html", case_referrals, order=10)
    )
    exports.register(form_export.PRODUCER)
