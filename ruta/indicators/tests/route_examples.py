"""URL arguments for the indicators routes (see test_route_permissions).

CARE's project with one indicator (the IASC goal indicator G.1, entered by hand) and a
value CARE entered for it with a PDF as evidence. The coordinator and analyst read the
network, CARE's agency admin and supervisor their own organization: everyone who may
read figures sees them; the coordinator and CARE's agency admin may change them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile

from ruta.indicators.models import Indicator, IndicatorValue, Project, ProjectIndicator, Target

PROJECT = "Proyecto de ejemplo para las rutas"
FRAMEWORK, CODE = "iasc-mhpss-me", "G.1"


def examples(world: Any) -> dict[str, dict[str, Any]]:
    indicator = Indicator.objects.get(framework__code=FRAMEWORK, code=CODE)
    project = Project.objects.filter(name=PROJECT).first()
    if project is None:
        project = Project.objects.create(
            organization=world.care,
            name=PROJECT,
            donor="ECHO",
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 31),
            territory=[],
        )
        line = ProjectIndicator.objects.create(project=project, indicator=indicator)
        Target.objects.create(
            project_indicator=line,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 3, 31),
            value=Decimal(40),
        )
    value = IndicatorValue.objects.filter(indicator=indicator, organization=world.care).first()
    if value is None:
        value = IndicatorValue(
            indicator=indicator,
            organization=world.care,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 3, 31),
            value=Decimal(35),
            evidence_name="informe.pdf",
        )
        value.evidence.save("informe.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        value.save()
    target = {"project_uuid": project.uuid}
    the_indicator = {"framework": FRAMEWORK, "code": CODE}
    return {
        "indicators:indicator": {"kwargs": the_indicator},
        "indicators:indicator_edit": {"kwargs": the_indicator},
        "indicators:indicator_new": {"kwargs": {"framework": FRAMEWORK}},
        "indicators:package_activity_new": {"kwargs": {"framework": "iasc-mhpss-msp"}},
        "indicators:indicator_csv": {"kwargs": the_indicator},
        "indicators:value_new": {"kwargs": the_indicator},
        "indicators:value_edit": {"kwargs": {"value_uuid": value.uuid}},
        "indicators:value_delete": {"kwargs": {"value_uuid": value.uuid}, "method": "post"},
        "indicators:evidence": {"kwargs": {"value_uuid": value.uuid}},
        "indicators:project": {"kwargs": target},
        "indicators:project_edit": {"kwargs": target},
        "indicators:project_csv": {"kwargs": target},
        "indicators:project_indicator_add": {"kwargs": target, "method": "post", "data": {}},
        "indicators:targets": {"kwargs": {**target, **the_indicator}},
        "indicators:project_indicator_remove": {
            "kwargs": {**target, **the_indicator},
            "method": "post",
        },
    }
