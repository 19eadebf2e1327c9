"""Filtering the audit log (django-filter), shared by the page and the CSV export."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from ruta.audit.models import AuditEvent
from ruta.ui.forms import DateInput


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(
        field_name="actor_email", lookup_expr="icontains", label=_("Actor e-mail contains")
    )
    on_behalf_of = django_filters.CharFilter(
        field_name="on_behalf_of_email",
        lookup_expr="icontains",
        label=_("On behalf of (e-mail contains)"),
    )
    action = django_filters.CharFilter(
        field_name="action", lookup_expr="startswith", label=_("Action starts with")
    )
    object_type = django_filters.CharFilter(field_name="object_type", label=_("Object type"))
    object_uuid = django_filters.UUIDFilter(field_name="object_uuid", label=_("Object id"))
    since = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=DateInput(),
    )
    until = django_filters.DateFilter(
        field_name="occurred_at",
        lookup_expr="date__lte",
        label=_("To"),
        widget=DateInput(),
    )
    organization = django_filters.UUIDFilter(
        field_name="organization__uuid", label=_("Organization id")
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []
