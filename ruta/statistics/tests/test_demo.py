"""The demo: CARE and HIAS sign, others do not; the analyst's quarter shows both
published and suppressed cells, and the public report is there."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from ruta.statistics import report, tables
from ruta.statistics.models import Audience, PublishedReport, SharingProtocol

pytestmark = [pytest.mark.django_db, pytest.mark.dates]


def test_the_demo_quarter_shows_suppressed_cells(django_capture_on_commit_callbacks: Any) -> None:
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    assert "Demo GBV statistics: 2 protocols signed" in out.getvalue()
    assert SharingProtocol.objects.count() == 2
    period = tables.parse_period(tables.last_quarter())
    assert period is not None
    data = report.suppressed(Audience.ANALYSTS, period)
    cells = [v for t in data["tables"] for row in t["cells"] for v in row]
    assert "<5" in cells
    assert any(isinstance(v, int) and v >= 5 for v in cells)
    published = PublishedReport.objects.get(audience=Audience.PUBLIC)
    assert published.period == period.code
    # A second run adds nothing.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    assert SharingProtocol.objects.count() == 2 and PublishedReport.objects.count() == 1
    removed = io.StringIO()
    call_command("remove_demo", stdout=removed)
    assert not SharingProtocol.objects.exists() and not PublishedReport.objects.exists()
