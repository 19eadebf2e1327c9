"""Filters of the helpline API's lists (django-filter)."""

from __future__ import annotations

import django_filters

from ruta.helpline.models import Callback, CallbackStatus, Channel, Contact, ContactStatus
from ruta.lib.filters import UtcDateTimeFilter


class ContactFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ContactStatus.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    since = UtcDateTimeFilter(field_name="started_at", lookup_expr="gte")
    until = UtcDateTimeFilter(field_name="started_at", lookup_expr="lte")

    class Meta:
        model = Contact
        fields: list[str] = []


class CallbackFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=CallbackStatus.choices)
    due_before = UtcDateTimeFilter(field_name="due_at", lookup_expr="lte")

    class Meta:
        model = Callback
        fields: list[str] = []
