"""Load-test tool: after a run, look for half-written records among what the load wrote.

Every referral step and follow-up is one ``transaction.atomic`` action that also writes
its audit event. If a database restart cut one in half, one of these counts is not zero:

* referrals without their "sent" event or their ``referral.sent`` audit event;
* accepted referrals without the receiving case, the "accepted" event or the audit event;
* declined referrals without the decline time, the "declined" event or the audit event;
* receiving cases without their client, or without a case-opened audit event;
* follow-ups without their ``case.follow_up_added`` audit event, and audit events naming a
  follow-up or referral that does not exist (the other half).

Prints one line per check and exits 1 if any count is not zero.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ruta.settings")
django.setup()

from ruta.audit.models import AuditEvent  # noqa: E402
from ruta.cases.models import Case, FollowUp  # noqa: E402
from ruta.referrals.models import Referral, ReferralEvent, ReferralStatus  # noqa: E402

DOMAIN = "@ruta-load.example.org"


def audited(action: str) -> set[str]:
    return {
        str(u)
        for u in AuditEvent.objects.filter(action=action).values_list("object_uuid", flat=True)
    }


def events(status: str) -> set[int]:
    return set(ReferralEvent.objects.filter(status=status).values_list("referral_id", flat=True))


def main() -> int:
    referrals = Referral.objects.filter(sent_by__email__endswith=DOMAIN)
    sent = {r.pk: str(r.uuid) for r in referrals}
    accepted = list(referrals.filter(status=ReferralStatus.ACCEPTED))
    declined = list(referrals.filter(status=ReferralStatus.DECLINED))
    follow_ups = {
        str(u)
        for u in FollowUp.objects.filter(recorded_by__email__endswith=DOMAIN).values_list(
            "uuid", flat=True
        )
    }
    follow_ups_audited = {
        str(d.get("follow_up"))
        for d in AuditEvent.objects.filter(
            action="case.follow_up_added", actor__email__endswith=DOMAIN
        ).values_list("details", flat=True)
    }
    receiver_cases = [r.receiver_case_id for r in accepted if r.receiver_case_id]
    opened = {
        str(u)
        for u in AuditEvent.objects.filter(object_type="cases.case").values_list(
            "object_uuid", flat=True
        )
    }
    all_referrals = {str(u) for u in Referral.objects.values_list("uuid", flat=True)}
    checks = {
        "referrals sent by the load": len(sent),
        "  accepted": len(accepted),
        "  declined": len(declined),
        "follow-ups recorded by the load": len(follow_ups),
    }
    problems = {
        "referrals without a 'sent' event": len(set(sent) - events(ReferralStatus.SENT)),
        "referrals without a referral.sent audit event": len(
            set(sent.values()) - audited("referral.sent")
        ),
        "accepted without a receiving case": sum(1 for r in accepted if not r.receiver_case_id),
        "accepted without an 'accepted' event": len(
            {r.pk for r in accepted} - events(ReferralStatus.ACCEPTED)
        ),
        "accepted without a referral.accepted audit event": len(
            {str(r.uuid) for r in accepted} - audited("referral.accepted")
        ),
        "declined without a decline time": sum(1 for r in declined if r.declined_at is None),
        "declined without a 'declined' event": len(
            {r.pk for r in declined} - events(ReferralStatus.DECLINED)
        ),
        "declined without a referral.declined audit event": len(
            {str(r.uuid) for r in declined} - audited("referral.declined")
        ),
        "receiving cases without a client": Case.objects.filter(
            pk__in=receiver_cases, client__isnull=True
        ).count(),
        "receiving cases without any audit event": len(
            {
                str(u)
                for u in Case.objects.filter(pk__in=receiver_cases).values_list("uuid", flat=True)
            }
            - opened
        ),
        "follow-ups without a case.follow_up_added audit event": len(
            follow_ups - follow_ups_audited
        ),
        "follow-up audit events without the follow-up": len(follow_ups_audited - follow_ups),
        "referral.sent audit events without the referral": len(
            {
                str(u)
                for u in AuditEvent.objects.filter(
                    action="referral.sent", actor__email__endswith=DOMAIN
                ).values_list("object_uuid", flat=True)
            }
            - all_referrals
        ),
    }
    for label, count in checks.items():
        print(f"{label:<58} {count:>6}")
    for label, count in problems.items():
        print(f"{label:<58} {count:>6}{'' if count == 0 else '   <-- HALF-WRITTEN'}")
    return 1 if any(problems.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
