"""Every change to indicators, values entered by hand and projects: each in a transaction,
each with its audit event (codes, periods and ids only: the figures stay in their tables).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from ruta.audit.actions import record
from ruta.indicators.models import (
    Framework,
    Indicator,
    IndicatorValue,
    Project,
    ProjectIndicator,
    ServicePackageActivity,
    Target,
)

if TYPE_CHECKING:
    from ruta.accounts.models import User


def _indicator_ref(indicator: Indicator) -> dict[str, str]:
    return {"framework": indicator.framework.code, "indicator": indicator.code}


@transaction.atomic
def update_indicator(actor: User, indicator: Indicator, changed: Iterable[str]) -> Indicator:
    """Save a coordinator's edit; from now on the shipped data no longer overwrites it."""
    indicator.edited_at = timezone.now()
    indicator.edited_by = actor
    indicator.save()
    record(
        "indicators.indicator_edited",
        actor=actor,
        object_type="indicators.indicator",
        details={**_indicator_ref(indicator), "fields": sorted(changed)},
    )
    return indicator


@transaction.atomic
def add_to_framework(actor: User, framework: Framework, indicator: Indicator) -> Indicator:
    """A coordinator's new item, after the framework's last (the shipped data never
    overwrites it: it counts as edited)."""
    last = framework.indicators.order_by("-position").values_list("position", flat=True).first()
    indicator.framework = framework
    indicator.position = (last or 0) + 1
    indicator.edited_at = timezone.now()
    indicator.edited_by = actor
    indicator.save()
    record(
        "indicators.indicator_added",
        actor=actor,
        obj=indicator,
        details=_indicator_ref(indicator),
    )
    return indicator


@transaction.atomic
def add_package_activity(
    actor: User, framework: Framework, activity: ServicePackageActivity
) -> ServicePackageActivity:
    last = framework.activities.order_by("-position").values_list("position", flat=True).first()
    activity.framework = framework
    activity.position = (last or 0) + 1
    activity.save()
    record(
        "indicators.package_activity_added",
        actor=actor,
        object_type="indicators.servicepackageactivity",
        details={"framework": framework.code, "activity": activity.code},
    )
    return activity


@transaction.atomic
def enter_value(actor: User, value: IndicatorValue, upload: Any = None) -> IndicatorValue:
    """Save a value entered by hand (new, or the one already entered for the same period),
    with the evidence file when one is given (it replaces the former file)."""
    created = value.pk is None
    value.entered_by = actor
    if upload is not None:
        if value.evidence:
            value.evidence.delete(save=False)
        value.evidence_name = upload.name[-200:]
        value.evidence.save(upload.name, upload, save=False)
    value.save()
    record(
        "indicators.value_entered" if created else "indicators.value_changed",
        actor=actor,
        obj=value,
        organization=value.organization,
        details={
            **_indicator_ref(value.indicator),
            "period": f"{value.period_start.isoformat()}/{value.period_end.isoformat()}",
            "network_wide": value.organization_id is None,
        },
    )
    return value


@transaction.atomic
def delete_value(actor: User, value: IndicatorValue) -> None:
    details = {
        **_indicator_ref(value.indicator),
        "period": f"{value.period_start.isoformat()}/{value.period_end.isoformat()}",
    }
    record(
        "indicators.value_deleted",
        actor=actor,
        obj=value,
        organization=value.organization,
        details=details,
    )
    if value.evidence:
        # The file goes once the row is gone for good (a rollback keeps both).
        storage, name = value.evidence.storage, value.evidence.name or ""
        transaction.on_commit(lambda: storage.delete(name))
    value.delete()


@transaction.atomic
def save_project(actor: User, project: Project, *, created: bool) -> Project:
    if created:
        project.created_by = actor
    project.save()
    record(
        "indicators.project_created" if created else "indicators.project_changed",
        actor=actor,
        obj=project,
        organization=project.organization,
    )
    return project


@transaction.atomic
def add_indicator(
    actor: User, project: Project, indicator: Indicator, baseline: Decimal | None
) -> ProjectIndicator:
    position = project.indicators.count()
    line = ProjectIndicator.objects.create(
        project=project, indicator=indicator, baseline=baseline, position=position
    )
    record(
        "indicators.project_indicator_added",
        actor=actor,
        obj=project,
        organization=project.organization,
        details=_indicator_ref(indicator),
    )
    return line


@transaction.atomic
def remove_indicator(actor: User, line: ProjectIndicator) -> None:
    record(
        "indicators.project_indicator_removed",
        actor=actor,
        obj=line.project,
        organization=line.project.organization,
        details=_indicator_ref(line.indicator),
    )
    line.delete()  # its targets go with it


@transaction.atomic
def set_targets(
    actor: User,
    line: ProjectIndicator,
    baseline: Decimal | None,
    targets: Iterable[tuple[dt.date, dt.date, Decimal | None]],
) -> None:
    """Set the baseline and the target of each period given (an empty target removes the
    period's target). Targets of periods not given are left as they are."""
    line.baseline = baseline
    line.save(update_fields=["baseline"])
    set_count = 0
    for start, end, value in targets:
        existing = Target.objects.filter(project_indicator=line, period_start=start, period_end=end)
        if value is None:
            existing.delete()
            continue
        Target.objects.update_or_create(
            project_indicator=line, period_start=start, period_end=end, defaults={"value": value}
        )
        set_count += 1
    record(
        "indicators.targets_set",
        actor=actor,
        obj=line.project,
        organization=line.project.organization,
        details={**_indicator_ref(line.indicator), "periods": set_count},
    )
