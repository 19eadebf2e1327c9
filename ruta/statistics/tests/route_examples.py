"""URL arguments for the statistics routes (see test_route_permissions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ruta.statistics.models import Audience, PublishedReport, SharingProtocol


def examples(world: Any) -> dict[str, dict[str, Any]]:
    SharingProtocol.objects.get_or_create(
        organization=world.care,
        withdrawn_at=None,
        defaults={
            "share_with_analysts": True,
            "share_with_coordinator": True,
            "share_with_public": True,
            "effective_from": dt.date(2020, 1, 1),
            "signed_by": world.user("agency_admin.care"),
            "signed_at": timezone.now(),
        },
    )
    report = PublishedReport.objects.create(
        audience=Audience.PUBLIC,
        period="2026-Q1",
        threshold=5,
        tables=[{"code": "referrals", "rows": [], "columns": [], "cells": [[0]]}],
        audit_summary={"passed": True},
        published_by=world.user("coordinator"),
        published_at=timezone.now(),
    )
    return {
        "statistics:isp_withdraw": {"method": "post"},
        "statistics:publish": {
            "method": "post",
            "data": {"period": "2026-Q1", "audience": Audience.PUBLIC},
        },
        "statistics:report_detail": {"kwargs": {"uuid": report.uuid}},
        "statistics:report_download": {"kwargs": {"uuid": report.uuid, "fmt": "xlsx"}},
    }
